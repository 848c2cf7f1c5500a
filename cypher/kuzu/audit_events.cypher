// Audit events after a sequence number, ascending, at most $limit.
MATCH (e:`AuditEvent`)
WHERE e.sequence > $after
RETURN e.sequence AS sequence, e.at AS at, e.actor AS actor, e.action AS action, e.targets AS targets, e.decision AS decision, e.policyIds AS policyIds, e.reason AS reason, e.requestId AS requestId, e.prevHash AS prevHash, e.hash AS hash
ORDER BY e.sequence
LIMIT $limit
