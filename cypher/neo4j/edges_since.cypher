// The edges of one (type, from label, to label) last written by a commit in ($after, $last] (a range
// seek on the type's `_seq` index). The upper bound keeps out edges of commits after $last, whose new
// endpoint nodes this change set may not carry.
MATCH (a:{{from}})-[r:{{type}}]->(b:{{to}})
WHERE r._seq > $after AND r._seq <= $last
RETURN a.id AS from, b.id AS to, r._key AS key, properties(r) AS props
