// Bulk load into an EMPTY rel table of one label pair (see copy_nodes). Columns by position: from id,
// to id, key, props, seq. A row whose endpoint is missing fails the COPY, and with it the transaction.
COPY `{{type}}` FROM '{{file}}' (from='{{from}}', to='{{to}}', HEADER=true, QUOTE='"', ESCAPE='"', NULL_STRINGS=['\N'])
