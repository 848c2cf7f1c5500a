// The nodes of one label among the given ids (a hash join of the ids with the table).
UNWIND $ids AS id
MATCH (n:`{{label}}` {id: id})
RETURN n.id AS id, n.props AS props
