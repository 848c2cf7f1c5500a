// The edges of one (type, from label, to label) among the given keys; both endpoints are index seeks.
UNWIND $keys AS k
MATCH (a:{{from}} {id: k.from})-[r:{{type}}]->(b:{{to}} {id: k.to})
WHERE r._key = k.key
RETURN a.id AS from, b.id AS to, r._key AS key, properties(r) AS props
