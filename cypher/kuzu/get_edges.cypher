// The edges of one type between nodes of one label pair, among the given keys. Labelled endpoints make
// both ends primary-key lookups; copying the row's fields into variables first makes Kuzu hash-join the
// keys with the tables instead of crossing them.
UNWIND $keys AS k
WITH k.from AS fromId, k.to AS toId, k.key AS key
MATCH (a:`{{from}}` {id: fromId})-[e:`{{type}}` {key: key}]->(b:`{{to}}` {id: toId})
RETURN a.id AS from, b.id AS to, label(a) AS fromLabel, label(b) AS toLabel, e.key AS key, e.props AS props
