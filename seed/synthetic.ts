/**
 * A synthetic estate of any size, for benchmarks: per service a chain of local roles over its scopes,
 * central roles inheriting across services, nested groups, identities with credentials, grants (some
 * expiring, some revoked), delegation and service workloads. Deterministic for a given seed.
 */
import type { EdgeRecord, NodeRecord } from '../src/model/records.js';
import type { EdgeType, NodeLabel } from '../src/model/vocabulary.js';
import { mulberry32 } from './random.js';

export interface SyntheticOptions {
  readonly identities: number;
  readonly seed?: number;
  /** Times are placed around this instant. */
  readonly anchor?: Date;
}

export interface SyntheticEstate {
  readonly nodes: NodeRecord[];
  readonly edges: EdgeRecord[];
}

const DAY = 86_400_000;
const IDENTITY_KINDS = ['SERVICE_ACCOUNT', 'WORKLOAD', 'BOT', 'AI_AGENT', 'HUMAN'] as const;
const LEVELS = ['READ', 'WRITE', 'ADMIN'] as const;
const SEVERITY = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

/** @example const { nodes, edges } = syntheticEstate({ identities: 100_000 }) */
export function syntheticEstate(options: SyntheticOptions): SyntheticEstate {
  const random = mulberry32(options.seed ?? 42);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const at = (options.anchor ?? new Date('2026-11-23T00:00:00Z')).getTime();
  const time = (days: number): string => new Date(at + days * DAY).toISOString();
  const nodes: NodeRecord[] = [];
  const edges: EdgeRecord[] = [];
  const labels = new Map<string, NodeLabel>();
  const node = (label: NodeLabel, id: string, props: Record<string, unknown>): string => {
    nodes.push({ label, id, props: { name: id, ...props } });
    labels.set(id, label);
    return id;
  };
  const edge = (type: EdgeType, from: string, to: string, props: Record<string, unknown> = {}): void => {
    edges.push({ type, from, to, fromLabel: labels.get(from)!, toLabel: labels.get(to)!, key: '', props });
  };
  const grant = (): Record<string, unknown> => {
    const roll = random();
    const props: Record<string, unknown> = { origin: roll < 0.5 ? 'CENTRAL' : 'LOCAL', status: 'ACTIVE', grantedAt: time(-Math.floor(random() * 400)) };
    if (roll < 0.2) props['expiresAt'] = time(Math.floor(random() * 120) - 20);
    if (roll > 0.97) Object.assign(props, { status: 'REVOKED', revokedAt: time(-1) });
    return props;
  };

  const serviceCount = Math.max(4, Math.ceil(options.identities / 100));
  const localRoles: string[][] = [];
  for (let s = 0; s < serviceCount; s++) {
    const svc = node('Service', `svc:s${s}`, { environment: s % 3 === 0 ? 'dev' : 'prod', criticality: pick(SEVERITY) });
    const chain: string[] = [];
    for (let r = 0; r < 4; r++) {
      const role = node('Role', `role:s${s}:r${r}`, { origin: 'LOCAL', service: svc });
      const scope = node('Scope', `scope:s${s}:x${r}`, { level: LEVELS[Math.min(r, 2)], sensitivity: pick(SEVERITY) });
      edge('GRANTS', role, scope);
      edge('ON', scope, svc);
      if (r > 0) edge('INHERITS', role, chain[r - 1]!);
      chain.push(role);
    }
    localRoles.push(chain);
  }
  const centralRoles: string[] = [];
  for (let c = 0; c < Math.max(4, serviceCount / 10); c++) {
    const role = node('Role', `role:central:${c}`, { origin: 'CENTRAL' });
    edge('INHERITS', role, pick(localRoles)[Math.floor(random() * 4)]!);
    if (c > 0) edge('INHERITS', role, centralRoles[c - 1]!);
    centralRoles.push(role);
  }
  const groups: string[] = [];
  for (let g = 0; g < Math.max(4, serviceCount * 2); g++) {
    const group = node('Group', `grp:g${g}`, {});
    if (g > 0 && random() < 0.5) edge('MEMBER_OF', group, pick(groups), grant());
    edge('HAS_ROLE', group, random() < 0.3 ? pick(centralRoles) : pick(localRoles)[Math.floor(random() * 4)]!, grant());
    groups.push(group);
  }
  const identities: string[] = [];
  for (let i = 0; i < options.identities; i++) {
    const id = node('Identity', `id:${i}`, { kind: pick(IDENTITY_KINDS), environment: random() < 0.3 ? 'dev' : 'prod', status: random() < 0.02 ? 'DISABLED' : 'ACTIVE' });
    const cred = node('Credential', `cred:${i}`, { kind: 'API_KEY', issuedAt: time(-300), ...(random() < 0.3 ? { expiresAt: time(Math.floor(random() * 200) - 50) } : {}) });
    edge('AUTHENTICATES', cred, id);
    edge('HAS_ROLE', id, pick(localRoles)[Math.floor(random() * 4)]!, grant());
    edge('MEMBER_OF', id, pick(groups), grant());
    if (identities.length > 0 && random() < 0.1) edge('CAN_ASSUME', id, pick(identities), grant());
    identities.push(id);
  }
  for (let s = 0; s < serviceCount; s++) {
    edge('RUNS_AS', `svc:s${s}`, pick(identities));
    edge('HOLDS', `svc:s${s}`, `cred:${Math.floor(random() * options.identities)}`);
  }
  return { nodes, edges };
}
