// Bulk load: creates the edges of one (type, from label, to label) from a spool file (header
// fromId,toId,key,props,seq). The importer has checked that none exists yet; a row whose endpoint is
// missing matches nothing, so `written` falls short and the adapter rolls back (see upsert_edges).
LOAD WITH HEADERS (fromId STRING, toId STRING, key STRING, props STRING, seq INT64) FROM '{{file}}' (HEADER=true, QUOTE='"', ESCAPE='"', NULL_STRINGS=['\N'])
MATCH (a:`{{from}}` {id: fromId}), (b:`{{to}}` {id: toId})
CREATE (a)-[:`{{type}}` {key: key, props: props, seq: seq}]->(b)
RETURN count(*) AS written
