// First statement of every write: takes the exclusive lock on the one audit head, so writers (from any
// API instance) commit one at a time, and returns the sequence and hash that the new event chains to.
// The head is created on first use from the last event (or the genesis), which also heals a wiped head;
// finding the last event is one step down the sequence index (see last_audit).
OPTIONAL MATCH (last:AuditEvent)
WHERE last.sequence IS NOT NULL
WITH last
ORDER BY last.sequence DESC
LIMIT 1
MERGE (h:AuditHead {id: 'head'})
  ON CREATE SET h.sequence = coalesce(last.sequence, 0), h.hash = coalesce(last.hash, $genesis)
SET h.lockedAt = timestamp()
RETURN h.sequence AS sequence, h.hash AS hash
