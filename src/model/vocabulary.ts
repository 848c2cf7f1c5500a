/**
 * The vocabulary of the graph (DESIGN.md, The graph): labels, edge types with the label pairs they
 * allow, and the enums. Every other layer takes names from here; nothing spells a label twice.
 */

export const NODE_LABELS = ['Identity', 'Credential', 'Group', 'Role', 'Scope', 'Service', 'Owner', 'Vendor'] as const;
export type NodeLabel = (typeof NODE_LABELS)[number];

export const EDGE_TYPES = [
  'OWNS',
  'OPERATES',
  'AUTHENTICATES',
  'MEMBER_OF',
  'HAS_ROLE',
  'INHERITS',
  'GRANTS',
  'ON',
  'CAN_ASSUME',
  'RUNS_AS',
  'HOLDS',
] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];

export const IDENTITY_KINDS = ['HUMAN', 'SERVICE_ACCOUNT', 'WORKLOAD', 'BOT', 'AI_AGENT'] as const;
export const IDENTITY_STATUSES = ['ACTIVE', 'DISABLED', 'RETIRED'] as const;
export const CREDENTIAL_KINDS = [
  'API_KEY',
  'OAUTH_CLIENT',
  'ACCESS_TOKEN',
  'CERTIFICATE',
  'SSH_KEY',
  'PASSWORD',
  'SECRET',
] as const;
export const ORIGINS = ['CENTRAL', 'LOCAL'] as const;
export const SCOPE_LEVELS = ['READ', 'WRITE', 'ADMIN'] as const;
/** Ordered from least to most: the index is the rank used in scoring. */
export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const SERVICE_STATUSES = ['ACTIVE', 'RETIRED'] as const;
export const OWNER_KINDS = ['TEAM', 'PERSON'] as const;
export const OWNER_STATUSES = ['ACTIVE', 'DEPARTED'] as const;
export const VENDOR_STATUSES = ['ACTIVE', 'OFFBOARDED'] as const;
export const GRANT_STATUSES = ['ACTIVE', 'PENDING', 'REVOKED'] as const;

export type Origin = (typeof ORIGINS)[number];
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];
export type Severity = (typeof SEVERITIES)[number];

/** The label pairs each edge type allows, `from → to`. */
export const EDGE_ENDPOINTS: Readonly<Record<EdgeType, { readonly from: readonly NodeLabel[]; readonly to: readonly NodeLabel[] }>> = {
  OWNS: { from: ['Owner'], to: ['Identity', 'Service', 'Credential'] },
  OPERATES: { from: ['Vendor'], to: ['Identity'] },
  AUTHENTICATES: { from: ['Credential'], to: ['Identity'] },
  MEMBER_OF: { from: ['Identity', 'Group'], to: ['Group'] },
  HAS_ROLE: { from: ['Identity', 'Group'], to: ['Role'] },
  INHERITS: { from: ['Role'], to: ['Role'] },
  GRANTS: { from: ['Role'], to: ['Scope'] },
  ON: { from: ['Scope'], to: ['Service'] },
  CAN_ASSUME: { from: ['Identity'], to: ['Identity'] },
  RUNS_AS: { from: ['Service'], to: ['Identity'] },
  HOLDS: { from: ['Service'], to: ['Credential'] },
};

/** Edges that are grants: they carry origin, domain, status and the grant times (DESIGN.md). */
export const GRANT_EDGE_TYPES: readonly EdgeType[] = ['MEMBER_OF', 'HAS_ROLE', 'CAN_ASSUME'];

/** Edges along which privilege flows, forward (DESIGN.md, Semantics: Privilege). */
export const PRIVILEGE_EDGE_TYPES: readonly EdgeType[] = [
  'AUTHENTICATES',
  'CAN_ASSUME',
  'MEMBER_OF',
  'HAS_ROLE',
  'INHERITS',
  'GRANTS',
];

/**
 * Edges along which compromise flows, forward: privilege plus control. `ON` counts only out of an ADMIN
 * scope; that condition is on the scope's level, so the engine checks it (see `paths/edge-sets.ts`).
 * `OWNS` is accountability, not control, and is never followed.
 */
export const COMPROMISE_EDGE_TYPES: readonly EdgeType[] = [
  ...PRIVILEGE_EDGE_TYPES,
  'OPERATES',
  'ON',
  'RUNS_AS',
  'HOLDS',
];

export function isNodeLabel(value: unknown): value is NodeLabel {
  return typeof value === 'string' && (NODE_LABELS as readonly string[]).includes(value);
}

export function isEdgeType(value: unknown): value is EdgeType {
  return typeof value === 'string' && (EDGE_TYPES as readonly string[]).includes(value);
}

/** True when `type` may join a node labelled `from` to one labelled `to`. */
export function allowsEndpoints(type: EdgeType, from: NodeLabel, to: NodeLabel): boolean {
  const ends = EDGE_ENDPOINTS[type];
  return ends.from.includes(from) && ends.to.includes(to);
}
