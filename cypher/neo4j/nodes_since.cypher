// The nodes of one label last written by a commit after $after (a range seek on the `_seq` index).
MATCH (n:{{label}})
WHERE n._seq > $after
RETURN n.id AS id, properties(n) AS props
