// The edges of every type last written by a commit after $after.
MATCH (a)-[e]->(b)
WHERE e.seq > $after
RETURN label(e) AS type, a.id AS from, b.id AS to, label(a) AS fromLabel, label(b) AS toLabel, e.key AS key, e.props AS props
