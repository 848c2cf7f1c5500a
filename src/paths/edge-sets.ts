/**
 * Which edges a query may follow (DESIGN.md, Semantics). Privilege is what an identity can do; compromise
 * is what falls with a node. The edge types come from `model/vocabulary.ts`; the conditions that depend on
 * the source node (ON only out of an ADMIN scope, RUNS_AS and HOLDS only out of a Service) live here, once.
 */
import { COMPROMISE_EDGE_TYPES, EDGE_TYPES, PRIVILEGE_EDGE_TYPES, type EdgeType } from '../model/vocabulary.js';
import type { Adjacency } from './adjacency.js';

/** A named set of followable edges, checked per edge during a walk. */
export interface EdgeSet {
  readonly name: 'privilege' | 'compromise';
  /** True when the edge's type (and, for some types, its source node) lets the walk follow it. */
  follows(adj: Adjacency, edge: number): boolean;
}

/** 0: never followed; 1: followed; 2: followed when the source node qualifies. */
type Rule = 0 | 1 | 2;

const CONDITIONAL: ReadonlySet<EdgeType> = new Set<EdgeType>(['ON', 'RUNS_AS', 'HOLDS']);

/**
 * AUTHENTICATES, CAN_ASSUME, MEMBER_OF, HAS_ROLE, INHERITS, GRANTS: what an identity can do.
 * @example PRIVILEGE.follows(adj, edge)
 */
export const PRIVILEGE: EdgeSet = edgeSet('privilege', PRIVILEGE_EDGE_TYPES);

/**
 * Privilege plus OPERATES, ON out of an ADMIN scope, RUNS_AS and HOLDS out of a Service. OWNS is never
 * followed: accountability is not control.
 * @example COMPROMISE.follows(adj, edge)
 */
export const COMPROMISE: EdgeSet = edgeSet('compromise', COMPROMISE_EDGE_TYPES);

function edgeSet(name: EdgeSet['name'], types: readonly EdgeType[]): EdgeSet {
  const rules = Object.fromEntries(
    EDGE_TYPES.map((type): [EdgeType, Rule] => [type, !types.includes(type) ? 0 : CONDITIONAL.has(type) ? 2 : 1]),
  ) as Record<EdgeType, Rule>;
  return {
    name,
    follows(adj, edge) {
      const type = adj.edgeType(edge);
      const rule = rules[type];
      if (rule !== 2) return rule === 1;
      return sourceQualifies(adj, type, adj.edgeFrom(edge));
    },
  };
}

/**
 * Only an ADMIN scope controls its service (READ and WRITE act within it); RUNS_AS and HOLDS are checked
 * against their source label too, so a malformed edge cannot open a path that the design does not allow.
 */
function sourceQualifies(adj: Adjacency, type: EdgeType, from: number): boolean {
  if (type === 'ON') return adj.labelOf(from) === 'Scope' && adj.scopeLevelOf(from) === 'ADMIN';
  return adj.labelOf(from) === 'Service';
}
