// Migration, once per node label: nodes_since seeks nodes written after a sequence number.
CREATE INDEX {{label}}_seq IF NOT EXISTS
FOR (n:{{label}}) ON (n._seq)
