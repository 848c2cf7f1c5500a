// TEST ONLY: empties the database before a conformance run (constraints and indexes stay). The adapter
// never runs it; test/conformance/neo4j.test.ts does, against a database you point NEO4J_URI at.
MATCH (n)
DETACH DELETE n
