// The nodes of one label among the given ids (a seek on the id constraint's index).
MATCH (n:{{label}})
WHERE n.id IN $ids
RETURN n.id AS id, properties(n) AS props
