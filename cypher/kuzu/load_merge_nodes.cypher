// Bulk load: upserts the nodes of one label from a spool file (header id,props,seq), props replaced whole.
LOAD WITH HEADERS (id STRING, props STRING, seq INT64) FROM '{{file}}' (HEADER=true, QUOTE='"', ESCAPE='"', NULL_STRINGS=['\N'])
MERGE (n:`{{label}}` {id: id})
SET n.props = props, n.seq = seq
RETURN count(*) AS written
