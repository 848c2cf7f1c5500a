// Upserts a batch of nodes of one label: props replaced whole, `_seq` = the writing commit's sequence.
UNWIND $rows AS row
MERGE (n:{{label}} {id: row.id})
SET n = row.props, n.id = row.id, n._seq = $seq
RETURN count(n) AS written
