// Upserts a batch of edges of one (type, from label, to label); an edge is identified by its endpoints,
// type and `_key`. A row whose endpoint is missing matches nothing and is absent from the result, which
// the adapter turns into a CONFLICT that rolls the transaction back.
UNWIND $rows AS row
MATCH (a:{{from}} {id: row.from})
MATCH (b:{{to}} {id: row.to})
MERGE (a)-[r:{{type}} {_key: row.key}]->(b)
SET r = row.props, r._key = row.key, r._seq = $seq
RETURN row.i AS i
