/**
 * What every rule is, and the few helpers they share: a rule is a pure function of the input and the
 * thresholds, with the OWASP item it detects.
 */
import type { Props } from '../../model/properties.js';
import type { EdgeKey, EdgeRecord } from '../../model/records.js';
import { GRANT_EDGE_TYPES, SEVERITIES, type Severity } from '../../model/vocabulary.js';
import { findingId, type Finding, type OwaspItem, type PathJson, type RuleId } from '../finding.js';
import type { FindingsInput, ScopeReach } from '../input.js';
import { accountableOwner } from '../owner.js';
import type { Thresholds } from '../thresholds.js';

export interface Rule {
  readonly id: RuleId;
  readonly owasp: OwaspItem | null;
  /** One line: what the rule reports. */
  readonly description: string;
  readonly run: (input: FindingsInput, thresholds: Thresholds) => Finding[];
}

export const DAY_MS = 86_400_000;

/** What a rule says about one finding; `makeFinding` adds the id, the subject's label and the owner. */
export interface FindingSpec {
  readonly subject: string;
  readonly discriminator?: string;
  readonly severity: Severity;
  readonly title: string;
  readonly path?: PathJson | undefined;
  readonly props?: Readonly<Record<string, unknown>>;
  readonly remediation: Finding['remediation'];
  /** Whose owner answers for it, when not the subject's own (a group's grant: its domain service). */
  readonly ownerOf?: string | undefined;
}

export function makeFinding(input: FindingsInput, rule: Pick<Rule, 'id' | 'owasp'>, spec: FindingSpec): Finding {
  const label = input.node(spec.subject)?.label ?? 'Identity';
  return {
    id: findingId(rule.id, spec.subject, spec.discriminator),
    rule: rule.id,
    owasp: rule.owasp,
    severity: spec.severity,
    subject: { id: spec.subject, label },
    title: spec.title,
    evidence: { ...(spec.path === undefined ? {} : { path: spec.path }), ...(spec.props === undefined ? {} : { props: spec.props }) },
    owner: accountableOwner(input, spec.ownerOf ?? spec.subject),
    remediation: spec.remediation,
  };
}

/** A live identity that is not a person: the subjects of the NHI rules. */
export function isLiveNhi(input: FindingsInput, id: string): boolean {
  const node = input.node(id);
  return node !== undefined && node.label === 'Identity' && node.props['kind'] !== 'HUMAN' && input.isLive(id);
}

export function isHuman(input: FindingsInput, id: string): boolean {
  return input.node(id)?.props['kind'] === 'HUMAN';
}

export function environmentOf(input: FindingsInput, id: string): string | undefined {
  const env = input.propsOf(id)['environment'];
  return typeof env === 'string' ? env : undefined;
}

/** Epoch ms of a time property, or undefined when absent or not a time. */
export function timeOf(props: Props, name: string): number | undefined {
  const value = props[name];
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** Whole days from `then` to `at`. */
export function daysBetween(then: number, at: number): number {
  return Math.floor((at - then) / DAY_MS);
}

/** The first grant on a path (the step that the holder's own access starts with), as an edge key. */
export function firstGrant(path: PathJson): EdgeKey | undefined {
  const step = path.steps.find((s) => GRANT_EDGE_TYPES.includes(s.type));
  return step === undefined ? undefined : { type: step.type, from: step.from, to: step.to, key: step.key ?? '' };
}

/** The edge's identity and the properties that prove a grant finding. */
export function grantEvidence(edge: EdgeRecord): Record<string, unknown> {
  return { grant: { type: edge.type, from: edge.from, to: edge.to, id: edge.key }, ...edge.props };
}

/** A one-step path along an edge, in the JSON shape of `paths/result-json.ts`. */
export function edgePath(edge: EdgeRecord): PathJson {
  const origin = edge.props['origin'];
  const step: PathJson['steps'][number] = {
    type: edge.type,
    from: edge.from,
    to: edge.to,
    ...(edge.key === '' ? {} : { key: edge.key }),
    origin: origin === 'CENTRAL' || origin === 'LOCAL' ? origin : null,
  };
  return { nodes: [edge.from, edge.to], steps: [step] };
}

/** A Scope's sensitivity (LOW when not set). */
export function sensitivityOf(input: FindingsInput, scope: string): Severity {
  const value = input.propsOf(scope)['sensitivity'];
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : 'LOW';
}

/**
 * Scopes grouped by the grant their shortest path starts with, in reach order: one finding per identity
 * and grant, whose fix (revoking that grant) removes exactly that finding. A path with no grant (the
 * identity's own credential) groups under `self`.
 */
export function byFirstGrant<T extends { readonly reach: ScopeReach }>(items: readonly T[]): { readonly discriminator: string; readonly grant: EdgeKey | undefined; readonly items: T[] }[] {
  const groups = new Map<string, { discriminator: string; grant: EdgeKey | undefined; items: T[] }>();
  for (const item of items) {
    const grant = firstGrant(item.reach.entry().path);
    const discriminator = grant === undefined ? 'self' : grantDiscriminator(grant);
    const group = groups.get(discriminator);
    if (group === undefined) groups.set(discriminator, { discriminator, grant, items: [item] });
    else group.items.push(item);
  }
  return [...groups.values()];
}

/** The discriminator of a finding about one grant of its subject: `grant:<type>:<to>[:<key>]`. */
export function grantDiscriminator(edge: EdgeKey): string {
  return `grant:${edge.type}:${edge.to}${edge.key === '' ? '' : `:${edge.key}`}`;
}

const CREDENTIAL_FIELDS = ['kind', 'issuedAt', 'expiresAt', 'rotatedAt', 'lastUsedAt', 'revokedAt'] as const;

/** The properties that prove a credential finding, and the identities it authenticates. */
export function credentialEvidence(input: FindingsInput, id: string): Record<string, unknown> {
  const props = input.propsOf(id);
  const evidence: Record<string, unknown> = { credential: id };
  for (const field of CREDENTIAL_FIELDS) if (props[field] !== undefined) evidence[field] = props[field];
  evidence['authenticates'] = input.out(id, 'AUTHENTICATES').map((e) => e.to);
  return evidence;
}
