// Migration, once per node label: ids are unique within a label, and the backing index answers every
// lookup by id and every id-ordered scan page.
CREATE CONSTRAINT {{label}}_id IF NOT EXISTS
FOR (n:{{label}}) REQUIRE n.id IS UNIQUE
