// The nodes of one label last written by a commit in ($after, $last] (a range seek on the `_seq` index).
// The upper bound keeps out rows of commits after $last, which a read-committed read can already see
// but whose other rows (and event) this change set does not carry.
MATCH (n:{{label}})
WHERE n._seq > $after AND n._seq <= $last
RETURN n.id AS id, properties(n) AS props
