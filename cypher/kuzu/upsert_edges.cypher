// Upserts a batch of edges of one (type, from label, to label), identified by endpoints, type and key.
// A row whose endpoint is missing matches nothing, so `written` falls short of the batch: the adapter
// turns that into a CONFLICT and rolls the transaction back. Keys go through WITH into plain variables
// so that Kuzu plans hash joins instead of cross products (see upsert_nodes).
UNWIND $rows AS row
WITH row, row.from AS fromId
MATCH (a:`{{from}}` {id: fromId})
WITH a, row, row.to AS toId
MATCH (b:`{{to}}` {id: toId})
WITH a, b, row, row.key AS key
MERGE (a)-[e:`{{type}}` {key: key}]->(b)
SET e.props = row.props, e.seq = $seq
RETURN count(*) AS written
