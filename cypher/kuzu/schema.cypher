// The Kuzu schema, one DDL statement per `;`, run at every open (IF NOT EXISTS makes it idempotent).
// One node table per label of NODE_LABELS and one rel table per edge type with exactly the label pairs
// of EDGE_ENDPOINTS (src/model/vocabulary.ts); test/store/kuzu/kuzu-store.test.ts holds the two equal.
// Props are the record's props as JSON text; seq is the audit sequence of the commit that last wrote it.
// Names are quoted because some are reserved words (`Group`, `ON`).
CREATE NODE TABLE IF NOT EXISTS `Identity`(id STRING PRIMARY KEY, props STRING, seq INT64);
CREATE NODE TABLE IF NOT EXISTS `Credential`(id STRING PRIMARY KEY, props STRING, seq INT64);
CREATE NODE TABLE IF NOT EXISTS `Group`(id STRING PRIMARY KEY, props STRING, seq INT64);
CREATE NODE TABLE IF NOT EXISTS `Role`(id STRING PRIMARY KEY, props STRING, seq INT64);
CREATE NODE TABLE IF NOT EXISTS `Scope`(id STRING PRIMARY KEY, props STRING, seq INT64);
CREATE NODE TABLE IF NOT EXISTS `Service`(id STRING PRIMARY KEY, props STRING, seq INT64);
CREATE NODE TABLE IF NOT EXISTS `Owner`(id STRING PRIMARY KEY, props STRING, seq INT64);
CREATE NODE TABLE IF NOT EXISTS `Vendor`(id STRING PRIMARY KEY, props STRING, seq INT64);
CREATE NODE TABLE IF NOT EXISTS `AuditEvent`(sequence INT64 PRIMARY KEY, at STRING, actor STRING, action STRING, targets STRING, decision STRING, policyIds STRING, reason STRING, requestId STRING, prevHash STRING, hash STRING);
// Stores made before the audit event carried a request id gain the column (empty for their old events).
ALTER TABLE `AuditEvent` ADD IF NOT EXISTS requestId STRING DEFAULT '';
CREATE REL TABLE IF NOT EXISTS `OWNS`(FROM `Owner` TO `Identity`, FROM `Owner` TO `Service`, FROM `Owner` TO `Credential`, key STRING, props STRING, seq INT64);
CREATE REL TABLE IF NOT EXISTS `OPERATES`(FROM `Vendor` TO `Identity`, key STRING, props STRING, seq INT64);
CREATE REL TABLE IF NOT EXISTS `AUTHENTICATES`(FROM `Credential` TO `Identity`, key STRING, props STRING, seq INT64);
CREATE REL TABLE IF NOT EXISTS `MEMBER_OF`(FROM `Identity` TO `Group`, FROM `Group` TO `Group`, key STRING, props STRING, seq INT64);
CREATE REL TABLE IF NOT EXISTS `HAS_ROLE`(FROM `Identity` TO `Role`, FROM `Group` TO `Role`, key STRING, props STRING, seq INT64);
CREATE REL TABLE IF NOT EXISTS `INHERITS`(FROM `Role` TO `Role`, key STRING, props STRING, seq INT64);
CREATE REL TABLE IF NOT EXISTS `GRANTS`(FROM `Role` TO `Scope`, key STRING, props STRING, seq INT64);
CREATE REL TABLE IF NOT EXISTS `ON`(FROM `Scope` TO `Service`, key STRING, props STRING, seq INT64);
CREATE REL TABLE IF NOT EXISTS `CAN_ASSUME`(FROM `Identity` TO `Identity`, key STRING, props STRING, seq INT64);
CREATE REL TABLE IF NOT EXISTS `RUNS_AS`(FROM `Service` TO `Identity`, key STRING, props STRING, seq INT64);
CREATE REL TABLE IF NOT EXISTS `HOLDS`(FROM `Service` TO `Credential`, key STRING, props STRING, seq INT64);
