// Migration, first step: the names of the indexes that exist (a constraint's backing index included),
// so that open runs only the DDL that is missing.
SHOW INDEXES YIELD name
