// (Kuzu only) Whether the rel table of one label pair is empty (bulk loads COPY only into empty tables).
MATCH (:`{{from}}`)-[e:`{{type}}`]->(:`{{to}}`)
RETURN count(*) AS n
