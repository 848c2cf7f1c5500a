// What a user would otherwise run for `reach`: one recursive Kuzu query, the scopes reachable from an
// identity or a credential along the privilege edge types (DESIGN.md, Semantics), up to the engine's
// default maxDepth of 12, each scope once. It is given the easier job: no liveness filter (props are JSON
// text), no path, no route count, no access end. Kuzu takes no parameter for the bounds, hence the literal.
MATCH (a:Identity:Credential)-[:AUTHENTICATES|CAN_ASSUME|MEMBER_OF|HAS_ROLE|INHERITS|GRANTS*1..12]->(s:Scope)
WHERE a.id = $id
RETURN DISTINCT s.id AS id
