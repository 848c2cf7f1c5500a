// The last committed audit event, if any. The predicate lets the planner read the sequence
// constraint's index backwards and stop at the first entry, instead of scanning every event.
MATCH (e:AuditEvent)
WHERE e.sequence IS NOT NULL
RETURN properties(e) AS event
ORDER BY e.sequence DESC
LIMIT 1
