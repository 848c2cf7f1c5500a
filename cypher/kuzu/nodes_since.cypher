// The nodes of one label last written by a commit after $after.
MATCH (n:`{{label}}`)
WHERE n.seq > $after
RETURN n.id AS id, n.props AS props
