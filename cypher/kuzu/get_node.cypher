// (Kuzu only) One node of one label by id: a primary-key index lookup, ~0.1 ms at a million rows, where
// get_nodes hash-joins the ids with the whole table (~100 ms there, whatever the number of ids). The
// adapter uses it for small batches.
MATCH (n:`{{label}}` {id: $id})
RETURN n.id AS id, n.props AS props
