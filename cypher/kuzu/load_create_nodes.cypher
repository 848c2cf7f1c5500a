// Bulk load: creates the nodes of one label from a spool file of the adapter's own making (header
// id,props,seq). The importer has checked that none exists yet. LOAD FROM + CREATE rather than COPY:
// Kuzu 0.11.3 cannot roll back a COPY into a non-empty table (measured: rows stay behind, then a crash),
// and a bulk load must leave nothing when it fails.
LOAD WITH HEADERS (id STRING, props STRING, seq INT64) FROM '{{file}}' (HEADER=true, QUOTE='"', ESCAPE='"', NULL_STRINGS=['\N'])
CREATE (:`{{label}}` {id: id, props: props, seq: seq})
RETURN count(*) AS written
