// One page of a label's nodes in id order: a range seek on the id constraint's index, which also gives
// the order, so each page costs O(limit) however deep the scan is.
MATCH (n:{{label}})
WHERE n.id > $after
RETURN n.id AS id, properties(n) AS props
ORDER BY n.id
LIMIT $limit
