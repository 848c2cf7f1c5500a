// The last committed audit event, if any: where the sequence and the hash chain continue after an open.
MATCH (e:`AuditEvent`)
RETURN e.sequence AS sequence, e.at AS at, e.actor AS actor, e.action AS action, e.targets AS targets, e.decision AS decision, e.policyIds AS policyIds, e.reason AS reason, e.requestId AS requestId, e.prevHash AS prevHash, e.hash AS hash
ORDER BY e.sequence DESC
LIMIT 1
