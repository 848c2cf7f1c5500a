// The edges of one (type, from label, to label) last written by a commit after $after (a range seek on
// the type's `_seq` index).
MATCH (a:{{from}})-[r:{{type}}]->(b:{{to}})
WHERE r._seq > $after
RETURN a.id AS from, b.id AS to, r._key AS key, properties(r) AS props
