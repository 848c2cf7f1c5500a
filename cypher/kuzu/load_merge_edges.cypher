// Bulk load: upserts the edges of one (type, from label, to label) from a spool file (header
// fromId,toId,key,props,seq), identified by endpoints, type and key; props replaced whole.
LOAD WITH HEADERS (fromId STRING, toId STRING, key STRING, props STRING, seq INT64) FROM '{{file}}' (HEADER=true, QUOTE='"', ESCAPE='"', NULL_STRINGS=['\N'])
MATCH (a:`{{from}}` {id: fromId}), (b:`{{to}}` {id: toId})
MERGE (a)-[e:`{{type}}` {key: key}]->(b)
SET e.props = props, e.seq = seq
RETURN count(*) AS written
