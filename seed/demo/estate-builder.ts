/**
 * A tiny builder for hand-told estates: typed helpers that add a node with its ownership, a credential
 * with what it authenticates and who holds it, a role with its inheritance and scopes, a grant with its
 * provenance. Every time is relative to the anchor, so a story told with `daysAgo(200)` holds whenever it
 * is seeded. `lines()` checks what a single line cannot (unique ids, endpoints, label pairs) and returns
 * interchange lines, nodes first.
 */
import { createHash } from 'node:crypto';
import { invariant } from '../../src/model/errors.js';
import type { EdgeLine, InterchangeLine, NodeLine } from '../../src/model/interchange.js';
import type { Props } from '../../src/model/properties.js';
import { edgeKeyOf, edgeKeyString } from '../../src/model/records.js';
import {
  allowsEndpoints,
  type CREDENTIAL_KINDS,
  type EdgeType,
  type GRANT_STATUSES,
  type IDENTITY_KINDS,
  type IDENTITY_STATUSES,
  type NodeLabel,
  type OWNER_KINDS,
  type ScopeLevel,
  type Severity,
} from '../../src/model/vocabulary.js';

export type IdentityKind = (typeof IDENTITY_KINDS)[number];
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];
export type GrantType = 'MEMBER_OF' | 'HAS_ROLE' | 'CAN_ASSUME';

export interface IdentitySpec {
  readonly kind: IdentityKind;
  readonly environment: string;
  /** The accountable owner; `null` says, on purpose, that nobody owns it. */
  readonly owner: string | null;
  readonly name?: string;
  readonly description?: string;
  readonly status?: (typeof IDENTITY_STATUSES)[number];
  readonly createdDaysAgo?: number;
  readonly lastSeenDaysAgo?: number;
}

export interface CredentialSpec {
  readonly kind: CredentialKind;
  readonly authenticates: string;
  readonly owner?: string;
  /** Services that store the credential (and so can read it). */
  readonly heldBy?: readonly string[];
  readonly description?: string;
  readonly issuedDaysAgo?: number;
  /** Days from the anchor; negative means it already expired. Absent: never expires. */
  readonly expiresInDays?: number;
  readonly lastUsedDaysAgo?: number;
  readonly rotatedDaysAgo?: number;
  readonly revokedDaysAgo?: number;
}

export interface ServiceSpec {
  readonly environment: string;
  readonly criticality: Severity;
  readonly owner: string;
  readonly name?: string;
  readonly description?: string;
  readonly status?: 'ACTIVE' | 'RETIRED';
}

export interface RoleSpec {
  /** The owning service of a LOCAL role; without it the role is CENTRAL. */
  readonly service?: string;
  readonly inherits?: readonly string[];
  readonly grants?: readonly string[];
  readonly description?: string;
}

export interface GrantSpec {
  /** Who granted it: a human or owner id. */
  readonly by: string;
  /** The service a LOCAL grant belongs to; without it the grant is CENTRAL. */
  readonly domain?: string;
  readonly grantedDaysAgo?: number;
  /** Days from the anchor; negative means it already expired. Absent: never expires. */
  readonly expiresInDays?: number;
  readonly status?: (typeof GRANT_STATUSES)[number];
  readonly revokedDaysAgo?: number;
  readonly revokedBy?: string;
  readonly justification?: string;
  readonly lastUsedDaysAgo?: number;
}

const DAY_MS = 86_400_000;

/**
 * @example
 * const b = new EstateBuilder(new Date());
 * b.owner('team:sre', { kind: 'TEAM', name: 'SRE' });
 * b.identity('sa:ci', { kind: 'SERVICE_ACCOUNT', environment: 'prod', owner: 'team:sre' });
 * b.lines(); // nodes, then edges
 */
export class EstateBuilder {
  private readonly anchorMs: number;
  private readonly nodes = new Map<string, NodeLine>();
  private readonly edges: EdgeLine[] = [];

  constructor(anchor: Date) {
    invariant(!Number.isNaN(anchor.getTime()), 'the anchor is a valid date');
    this.anchorMs = anchor.getTime();
  }

  /** `days` before the anchor, ISO-8601 in UTC to the second. */
  daysAgo(days: number): string {
    return iso(this.anchorMs - days * DAY_MS);
  }

  /** `days` after the anchor (negative: before it). */
  daysFromNow(days: number): string {
    return iso(this.anchorMs + days * DAY_MS);
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  owner(id: string, spec: { kind: (typeof OWNER_KINDS)[number]; name: string; email: string; description?: string }): this {
    return this.node('Owner', id, { ...spec, status: 'ACTIVE', createdAt: this.daysAgo(spread(id, 400, 1500)) });
  }

  vendor(id: string, spec: { name: string; description: string; operates: readonly string[] }): this {
    this.node('Vendor', id, { name: spec.name, description: spec.description, status: 'ACTIVE', createdAt: this.daysAgo(spread(id, 200, 700)) });
    for (const identity of spec.operates) this.edge('OPERATES', id, identity);
    return this;
  }

  service(id: string, spec: ServiceSpec): this {
    this.node('Service', id, {
      name: spec.name ?? slugOf(id),
      description: spec.description,
      environment: spec.environment,
      criticality: spec.criticality,
      status: spec.status ?? 'ACTIVE',
      createdAt: this.daysAgo(spread(id, 300, 1400)),
    });
    return this.owns(spec.owner, id);
  }

  identity(id: string, spec: IdentitySpec): this {
    const status = spec.status ?? 'ACTIVE';
    const created = spec.createdDaysAgo ?? spread(id, 60, 900);
    this.node('Identity', id, {
      name: spec.name ?? slugOf(id),
      description: spec.description,
      kind: spec.kind,
      environment: spec.environment,
      status,
      createdAt: this.daysAgo(created),
      lastSeenAt: this.daysAgo(spec.lastSeenDaysAgo ?? spread(id, 0, 2, 24)),
    });
    return spec.owner === null ? this : this.owns(spec.owner, id);
  }

  credential(id: string, spec: CredentialSpec): this {
    const issued = spec.issuedDaysAgo ?? spread(id, 30, 400);
    this.node('Credential', id, {
      name: slugOf(id),
      description: spec.description,
      kind: spec.kind,
      fingerprint: fingerprintOf(id),
      issuedAt: this.daysAgo(issued),
      expiresAt: spec.expiresInDays === undefined ? undefined : this.daysFromNow(spec.expiresInDays),
      rotatedAt: spec.rotatedDaysAgo === undefined ? undefined : this.daysAgo(spec.rotatedDaysAgo),
      lastUsedAt: this.daysAgo(spec.lastUsedDaysAgo ?? spread(id, 0, 2, 24)),
      revokedAt: spec.revokedDaysAgo === undefined ? undefined : this.daysAgo(spec.revokedDaysAgo),
    });
    this.edge('AUTHENTICATES', id, spec.authenticates);
    for (const service of spec.heldBy ?? []) this.edge('HOLDS', service, id);
    return spec.owner === undefined ? this : this.owns(spec.owner, id);
  }

  group(id: string, description: string): this {
    return this.node('Group', id, { name: slugOf(id), description });
  }

  role(id: string, spec: RoleSpec = {}): this {
    const origin = spec.service === undefined ? 'CENTRAL' : 'LOCAL';
    this.node('Role', id, { name: slugOf(id), description: spec.description, origin, service: spec.service });
    for (const parent of spec.inherits ?? []) this.edge('INHERITS', id, parent, { origin });
    for (const scope of spec.grants ?? []) this.edge('GRANTS', id, scope, { origin });
    return this;
  }

  /** A scope `scope:<service>:<resource>:<verb>`, `ON` the service `svc:<service>`. */
  scope(id: string, level: ScopeLevel, sensitivity: Severity, origin: 'CENTRAL' | 'LOCAL' = 'LOCAL'): this {
    const service = id.split(':')[1];
    invariant(id.startsWith('scope:') && service !== undefined && id.split(':').length === 4, `scope id "${id}" reads scope:<service>:<resource>:<verb>`);
    this.node('Scope', id, { name: id.slice('scope:'.length), level, sensitivity, origin });
    return this.edge('ON', id, `svc:${service}`);
  }

  /** A grant edge with its provenance; LOCAL when it names a `domain`. */
  grant(type: GrantType, from: string, to: string, spec: GrantSpec): this {
    return this.edge(type, from, to, {
      origin: spec.domain === undefined ? 'CENTRAL' : 'LOCAL',
      domain: spec.domain,
      status: spec.status ?? 'ACTIVE',
      grantedBy: spec.by,
      grantedAt: this.daysAgo(spec.grantedDaysAgo ?? spread(`${type}${from}${to}`, 20, 500)),
      expiresAt: spec.expiresInDays === undefined ? undefined : this.daysFromNow(spec.expiresInDays),
      revokedAt: spec.revokedDaysAgo === undefined ? undefined : this.daysAgo(spec.revokedDaysAgo),
      revokedBy: spec.revokedBy,
      justification: spec.justification,
      lastUsedAt: spec.lastUsedDaysAgo === undefined ? undefined : this.daysAgo(spec.lastUsedDaysAgo),
    });
  }

  owns(owner: string, target: string): this {
    return this.edge('OWNS', owner, target);
  }

  edge(type: EdgeType, from: string, to: string, props: Record<string, unknown> = {}): this {
    const clean = compact(props);
    this.edges.push({ type: 'edge', label: type, from, to, key: edgeKeyOf(clean), props: clean });
    return this;
  }

  /**
   * Every node, then every edge, in the order they were added.
   * @throws IdGraphError INTERNAL when an edge names a missing node, joins labels its type does not
   *   allow, or repeats another edge: the estate is code, so that is a bug in it.
   */
  lines(): InterchangeLine[] {
    const seen = new Set<string>();
    for (const edge of this.edges) {
      const from = this.nodes.get(edge.from);
      const to = this.nodes.get(edge.to);
      invariant(from !== undefined && to !== undefined, `${edge.label} ${edge.from} → ${edge.to} joins nodes that exist`);
      invariant(allowsEndpoints(edge.label, from.label, to.label), `${edge.label} may join ${from.label} → ${to.label}`);
      const key = edgeKeyString({ type: edge.label, from: edge.from, to: edge.to, key: edge.key });
      invariant(!seen.has(key), `${edge.label} ${edge.from} → ${edge.to} is added once`);
      seen.add(key);
    }
    return [...this.nodes.values(), ...this.edges];
  }

  private node(label: NodeLabel, id: string, props: Record<string, unknown>): this {
    invariant(!this.nodes.has(id), `node id "${id}" is unique`);
    this.nodes.set(id, { type: 'node', label, id, props: compact(props) });
    return this;
  }
}

/**
 * A deterministic number in `[min, max]` from a string: the estate varies (ages, last use) without
 * randomness, so the same anchor always gives the same estate. `step` divides a day (24: hours).
 */
export function spread(key: string, min: number, max: number, step = 1): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const slots = (max - min) * step + 1;
  return min + (hash % slots) / step;
}

/** A fake fingerprint derived from the id: it looks like a key hash and is never a secret. */
function fingerprintOf(id: string): string {
  return `sha256:${createHash('sha256').update(`northwind-pay demo:${id}`).digest('hex')}`;
}

function slugOf(id: string): string {
  return id.slice(id.indexOf(':') + 1);
}

function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function compact(props: Record<string, unknown>): Props {
  return Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined));
}
