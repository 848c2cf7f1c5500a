// Every edge of every type; the adapter reads the one result in batches with the sync API.
MATCH (a)-[e]->(b)
RETURN label(e) AS type, a.id AS from, b.id AS to, label(a) AS fromLabel, label(b) AS toLabel, e.key AS key, e.props AS props
