// (Kuzu only) One edge of one type and label pair by its key: an index lookup of the source, then its
// adjacency filtered (~0.4 ms at five million edges; matching both ends by id is 3× slower). The adapter
// uses it for small batches, get_edges for large ones.
MATCH (a:`{{from}}` {id: $from})-[e:`{{type}}`]->(b:`{{to}}`)
WHERE b.id = $to AND e.key = $key
RETURN a.id AS from, b.id AS to, label(a) AS fromLabel, label(b) AS toLabel, e.key AS key, e.props AS props
