// Migration, once per relationship type: edges_since seeks relationships written after a sequence number.
CREATE INDEX {{type}}_seq IF NOT EXISTS
FOR ()-[r:{{type}}]-() ON (r._seq)
