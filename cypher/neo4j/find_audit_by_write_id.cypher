// A retried write's first step after the head lock: the event of an earlier attempt of the same write
// (same `writeId`) that committed although its acknowledgement was lost. A seek on the writeId
// constraint's index.
MATCH (e:AuditEvent {writeId: $writeId})
RETURN properties(e) AS event
LIMIT 1
