// Bulk load into an EMPTY node table: Kuzu's fastest path, used only when the table holds no row at the
// start of the transaction (Kuzu 0.11.3 cannot roll back a COPY into a non-empty table; the adapter
// uses load_create_nodes then). Columns by position: id, props, seq.
COPY `{{label}}` FROM '{{file}}' (HEADER=true, QUOTE='"', ESCAPE='"', NULL_STRINGS=['\N'])
