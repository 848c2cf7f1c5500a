// One page of a (type, from label, to label)'s edges: up to $limit source nodes that have such an edge,
// after $after in id order (a range seek on the id index), with all their edges. Node ids never change
// and nodes are never deleted, so paging by source id is stable under concurrent writes.
MATCH (a:{{from}})
WHERE a.id > $after AND EXISTS { (a)-[:{{type}}]->(:{{to}}) }
WITH a
ORDER BY a.id
LIMIT $limit
MATCH (a)-[r:{{type}}]->(b:{{to}})
RETURN a.id AS from, b.id AS to, r._key AS key, properties(r) AS props
ORDER BY from
