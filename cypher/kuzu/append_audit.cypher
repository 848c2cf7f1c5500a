// Appends a write's audit event; the primary key on sequence rejects a second event with the same number.
CREATE (e:`AuditEvent` {sequence: $sequence, at: $at, actor: $actor, action: $action, targets: $targets, decision: $decision, policyIds: $policyIds, reason: $reason, requestId: $requestId, prevHash: $prevHash, hash: $hash})
