// Every node of one label; the adapter reads the one result in batches with the sync API.
MATCH (n:`{{label}}`)
RETURN n.id AS id, n.props AS props
