// Migration, first step: the names of the constraints that exist, so that open runs only the DDL that
// is missing (no schema privilege is needed on a migrated database; reader and editor may SHOW).
SHOW CONSTRAINTS YIELD name
