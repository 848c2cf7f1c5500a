// The edges of one type among the given keys, with their endpoint labels; the endpoints are unlabelled
// so that one statement covers every label pair the type allows.
UNWIND $keys AS k
WITH k.from AS fromId, k.to AS toId, k.key AS key
MATCH (a {id: fromId})-[e:`{{type}}` {key: key}]->(b {id: toId})
RETURN a.id AS from, b.id AS to, label(a) AS fromLabel, label(b) AS toLabel, e.key AS key, e.props AS props
