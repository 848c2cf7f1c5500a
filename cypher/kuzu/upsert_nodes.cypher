// Upserts a batch of nodes of one label: props replaced whole, seq = the writing commit's sequence.
// Kuzu joins on a plain variable with a hash join but on a struct field (`{id: row.id}`) with a cross
// product of the batch and the whole table, so every key is first projected into a variable with WITH.
UNWIND $rows AS row
WITH row, row.id AS id
MERGE (n:`{{label}}` {id: id})
SET n.props = row.props, n.seq = $seq
RETURN count(*) AS written
