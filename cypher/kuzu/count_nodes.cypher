// (Kuzu only) Whether a node table is empty (bulk loads COPY only into empty tables).
MATCH (n:`{{label}}`)
RETURN count(*) AS n
