/**
 * A synthetic enterprise of any size, streamed as interchange lines in constant memory (issue 6): a
 * 1,000,000-identity estate is ~2.3M nodes and ~5M edges, which no test fixture and no array should hold.
 * So nothing is remembered: every id is derived from an index (`svc:12`, `role:12:3`, `sa:4567`,
 * `cred:4567:1`), every entity draws from its own stream seeded by `hash32(seed, section, index)`, and a
 * random target is an index computed from a draw. An edge section recomputes what it needs of an entity
 * (its kind, home service, role count) from the entity's index. The same options give the same bytes.
 *
 * Order: every node, then every edge (so each edge follows both of its endpoints, as in an export).
 *
 * Proportions, for N identities (what a large enterprise looks like, and what the tests assert):
 * - Identities: 1 in 35 HUMAN (environment prod); the rest non-human (NHI), so ~34 NHIs per human:
 *   SERVICE_ACCOUNT 42 %, WORKLOAD 38 %, BOT 12 %, AI_AGENT 8 %, in prod 50 %, staging 20 %, dev 22 %,
 *   test 8 %. 3 % of NHIs DISABLED and 2 % RETIRED (humans 5 % and 2 %); 8 % of active ones stale.
 * - Services: N/50 (at least 8), one in 32 RETIRED, each owned by a team chosen by a Zipf law over N/150
 *   teams (at least 6): the top team owns a large share, most own one or two. Each service has 2-5 LOCAL
 *   roles (a ladder reader → … → admin, each INHERITS the one below) and as many to 3 more scopes (READ,
 *   WRITE, ADMIN in turn, sensitivity from the service's criticality); each role GRANTS its slice of them.
 * - Central roles in three tiers (N/500, a fifth of that, a quarter of that): tier 0 INHERITS 1-3 local
 *   roles (at most 4th on a ladder), tier 1 INHERITS tier 0, tier 2 INHERITS tier 1. No cycles, and the
 *   longest INHERITS chain is 6 edges (tier 2 → 1 → 0 → 4th local → 3rd → 2nd → 1st).
 * - Groups: N/50 (at least 12) in four tiers (1 %, 3 %, 12 %, the rest leaf groups), each MEMBER_OF one
 *   group of the tier above (sometimes two), leaf groups HAS_ROLE a local role, upper ones a central role.
 * - Owners: N/150 teams and N/100 people (8 % DEPARTED). OWNS: team → service; team of its home service
 *   (75 %) or a person (18 %) → NHI, the rest orphaned; a person → 4 % of NHI credentials.
 * - Credentials: 1 per NHI, 2 for 20 %; 35 % of humans have one (PASSWORD, SSH_KEY, ACCESS_TOKEN). Kinds
 *   by identity kind; a `sha256:` fingerprint; 15 % stale (last used 180+ days ago), 12 % never used, 20 %
 *   rotated, 2 % revoked; access tokens and certificates expire (many already have), other kinds never
 *   expire about half the time. The home service HOLDS 30 % of its NHIs' credentials, another 2 %.
 * - Services RUNS_AS 60 % of their workloads and 10 % of their service accounts; vendors (N/4000, at least
 *   5, one in six OFFBOARDED, picked by a Zipf law) OPERATE 6 % of the non-workload NHIs.
 * - Grants: NHIs HAS_ROLE 1-3 roles (85 % local to their home service), 25 % are MEMBER_OF a leaf group;
 *   humans are MEMBER_OF 2-4 leaf groups and HAS_ROLE 1-2 roles. Every grant carries origin (and domain
 *   when LOCAL), status and grantedAt: 2 % REVOKED (revokedAt, revokedBy), 1.5 % PENDING, 6 % just in
 *   time (expiresAt within 30 days of grantedAt, some past).
 * - CAN_ASSUME: 3 % of NHIs and 8 % of humans, towards an earlier identity, in chains of at most 2 edges
 *   (a tier-2 identity assumes a tier-1 one, which assumes a plain NHI).
 * - About 5 edges per identity in all.
 */
import { IdGraphError, invariant, type Issue } from '../src/model/errors.js';
import { edgeKeyOf, type EdgeRecord, type NodeRecord } from '../src/model/records.js';
import type { EdgeType, NodeLabel } from '../src/model/vocabulary.js';
import { hash32, mulberry32 } from './random.js';

export interface EnterpriseOptions {
  /** How many identities (humans and NHIs); every other count follows from it. */
  readonly identities: number;
  /** Default 42. */
  readonly seed?: number;
  /** Times are placed around this instant; default 2026-11-23T00:00:00Z. */
  readonly anchor?: Date;
}

/** The planned counts of everything but credentials (which are drawn per identity). */
export interface EnterpriseShape {
  readonly identities: number;
  readonly teams: number;
  readonly persons: number;
  readonly vendors: number;
  readonly services: number;
  readonly scopes: number;
  readonly localRoles: number;
  readonly centralRoles: number;
  readonly groups: number;
}

export const MAX_ENTERPRISE_IDENTITIES = 10_000_000;
export const DEFAULT_ENTERPRISE_SEED = 42;
export const DEFAULT_ENTERPRISE_ANCHOR = new Date('2026-11-23T00:00:00Z');

/**
 * The estate as interchange NDJSON lines (no newline), nodes first; flat memory at any size.
 * @throws IdGraphError BAD_USER_INPUT when `identities` is not a whole number from 1 to 10,000,000, the seed
 *   not a whole number from 0 to 2^32 - 1, or the anchor not a valid date.
 * @example for (const line of enterpriseLines({ identities: 1_000_000 })) out.write(`${line}\n`);
 */
export function* enterpriseLines(options: EnterpriseOptions): Generator<string> {
  const estate = new Enterprise(options);
  const out: string[] = [];
  for (const [count, emit] of estate.sections()) {
    for (let i = 0; i < count; i++) {
      emit(i, out);
      for (const line of out) yield line;
      out.length = 0;
    }
  }
}

/**
 * The same estate as records, as an import of `enterpriseLines` would store them (for tests and in-memory
 * benchmarks: this one holds everything).
 * @example const { nodes, edges } = enterpriseRecords({ identities: 100_000 });
 */
export function enterpriseRecords(options: EnterpriseOptions): { nodes: NodeRecord[]; edges: EdgeRecord[] } {
  const nodes: NodeRecord[] = [];
  const edges: EdgeRecord[] = [];
  const labels = new Map<string, NodeLabel>();
  for (const text of enterpriseLines(options)) {
    const line = JSON.parse(text) as { type: 'node' | 'edge'; label: string; id: string; from: string; to: string; props: Record<string, unknown> };
    if (line.type === 'node') {
      nodes.push({ label: line.label as NodeLabel, id: line.id, props: line.props });
      labels.set(line.id, line.label as NodeLabel);
      continue;
    }
    const fromLabel = labels.get(line.from);
    const toLabel = labels.get(line.to);
    invariant(fromLabel !== undefined && toLabel !== undefined, `${line.label} ${line.from} → ${line.to} follows both of its nodes`);
    edges.push({ type: line.label as EdgeType, from: line.from, to: line.to, fromLabel, toLabel, key: edgeKeyOf(line.props), props: line.props });
  }
  return { nodes, edges };
}

/** The planned counts, computed without generating (one pass over the services). */
export function enterpriseShape(options: EnterpriseOptions): EnterpriseShape {
  const e = new Enterprise(options);
  let scopes = 0;
  let localRoles = 0;
  for (let s = 0; s < e.services; s++) {
    const service = e.service(s);
    scopes += service.scopes;
    localRoles += service.roles;
  }
  return {
    identities: e.identities,
    teams: e.teams,
    persons: e.persons,
    vendors: e.vendors,
    services: e.services,
    scopes,
    localRoles,
    centralRoles: e.centralRoles,
    groups: e.groups,
  };
}

type Emit = (index: number, out: string[]) => void;
type IdentityKind = 'HUMAN' | 'SERVICE_ACCOUNT' | 'WORKLOAD' | 'BOT' | 'AI_AGENT';

interface ServicePlan {
  readonly team: number;
  readonly roles: number;
  readonly scopes: number;
  readonly criticality: number;
  readonly environment: string;
  readonly retired: boolean;
  readonly createdDaysAgo: number;
  readonly resource: number;
  /** The rest of the stream, for what only the node section draws. */
  readonly random: () => number;
}

interface IdentityPlan {
  readonly human: boolean;
  readonly kind: IdentityKind;
  /** 0: assumes nobody; 1: assumes a tier-0 NHI; 2: assumes a tier-1 identity. */
  readonly tier: number;
  /** The index of the service an NHI belongs to. */
  readonly home: number;
  readonly credentials: number;
}

/** One stream per section, so a section's draws never shift another's. */
const SALT = { team: 1, person: 2, service: 4, central: 5, identity: 7, identityNode: 8, identityEdges: 9, groupEdges: 10 } as const;
const HOUR = 3_600_000;
/** Times are cached per whole hour in this window around the anchor (a few MB, whatever N). */
const PAST_HOURS = 2400 * 24;
const FUTURE_HOURS = 800 * 24;
const LEVELS = ['READ', 'WRITE', 'ADMIN'] as const;
const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
const ID_PREFIX: Readonly<Record<IdentityKind, string>> = { HUMAN: 'user', SERVICE_ACCOUNT: 'sa', WORKLOAD: 'wl', BOT: 'bot', AI_AGENT: 'agent' };
const NHI_WORDS: Readonly<Record<IdentityKind, readonly string[]>> = {
  HUMAN: [''],
  SERVICE_ACCOUNT: ['ci', 'deployer', 'reader', 'sync', 'backup', 'etl', 'migrator'],
  WORKLOAD: ['api', 'worker', 'cron', 'consumer', 'web'],
  BOT: ['release-bot', 'triage-bot', 'chat-bot', 'renovate-bot'],
  AI_AGENT: ['copilot', 'assistant', 'support-agent', 'code-agent'],
};
const CREDENTIAL_SLUG: Readonly<Record<string, string>> = {
  API_KEY: 'api-key', OAUTH_CLIENT: 'oauth-client', ACCESS_TOKEN: 'token', CERTIFICATE: 'cert', SSH_KEY: 'ssh-key', PASSWORD: 'password', SECRET: 'secret',
};
const DOMAINS = ['payments', 'ledger', 'billing', 'identity', 'checkout', 'orders', 'inventory', 'search', 'catalog', 'shipping', 'fraud', 'risk', 'support', 'analytics', 'notifications', 'pricing', 'loyalty', 'accounts', 'reporting', 'onboarding', 'compliance', 'messaging', 'media', 'partners'];
const COMPONENTS = ['api', 'gateway', 'worker', 'service', 'sync', 'store', 'scheduler', 'portal', 'pipeline', 'engine', 'proxy', 'indexer'];
const TEAM_WORDS = ['core', 'platform', 'infra', 'data', 'ops', 'sre', 'web', 'mobile', 'growth', 'ml'];
const RESOURCES = ['records', 'users', 'reports', 'configs', 'secrets', 'deployments', 'invoices', 'accounts', 'events', 'models', 'tables', 'tickets', 'keys', 'logs', 'metrics', 'exports'];
const ROLE_WORDS = ['reader', 'writer', 'operator', 'deployer', 'admin'];
const VENDORS = ['acme-cloud', 'globex-analytics', 'initech-ci', 'umbrella-monitoring', 'hooli-mail', 'stark-payments', 'wayne-security', 'tyrell-ai', 'cyberdyne-ops', 'soylent-data', 'wonka-cdn', 'oscorp-crm', 'vandelay-logistics', 'piedpiper-storage', 'massive-hr', 'aperture-qa'];
const FIRST = ['Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kofi', 'Lena', 'Mateo', 'Nia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Vera', 'Wei', 'Yara'];
const LAST = ['Adams', 'Berg', 'Costa', 'Diaz', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lopez', 'Mensah', 'Novak', 'Okafor', 'Patel', 'Rossi', 'Silva', 'Tanaka', 'Umar', 'Varga', 'Weber', 'Yilmaz', 'Zhang'];

/**
 * The estate's counts and the emitters of its sections. Every emitter writes the lines of one entity,
 * computed from its index; the fast serializer below writes exactly what `formatLine` would (props in
 * sorted key order) and needs no escaping: every value is drawn from the ASCII word lists above.
 */
class Enterprise {
  readonly identities: number;
  readonly services: number;
  readonly teams: number;
  readonly persons: number;
  readonly vendors: number;
  readonly groups: number;
  /** Central roles per tier, and where each tier starts among `role:central:<c>`. */
  readonly tiers: readonly [number, number, number];
  readonly centralRoles: number;
  /** Group tiers 3, 2, 1 come first, then the leaf groups: `groupStart[t]` is where tier t starts. */
  readonly groupStart: readonly [number, number, number, number];
  private readonly seed: number;
  /** Scratch for a fake sha256 digest (hex through Buffer is ten times faster than per-word toString). */
  private readonly digest = Buffer.alloc(32);
  private readonly anchorMs: number;
  /** Formatted times by hour slot, '' until first used; filled up front so the array stays packed. */
  private readonly times: string[] = new Array<string>(PAST_HOURS + FUTURE_HOURS + 1).fill('');

  constructor(options: EnterpriseOptions) {
    const { identities, seed, anchor } = getValidEnterpriseOptions(options);
    this.identities = identities;
    this.seed = seed;
    this.anchorMs = Math.floor(anchor.getTime() / 1000) * 1000;
    this.services = Math.max(8, Math.ceil(identities / 50));
    this.teams = Math.max(6, Math.ceil(this.services / 3));
    this.persons = Math.max(6, Math.ceil(identities / 100));
    this.vendors = Math.max(5, Math.ceil(identities / 4000));
    const c0 = Math.max(6, Math.ceil(this.services / 10));
    const c1 = Math.max(3, Math.ceil(c0 / 5));
    this.tiers = [c0, c1, Math.max(2, Math.ceil(c1 / 4))];
    this.centralRoles = this.tiers[0] + this.tiers[1] + this.tiers[2];
    this.groups = Math.max(12, Math.ceil(identities / 50));
    const g3 = Math.max(1, Math.round(this.groups * 0.01));
    const g2 = Math.max(1, Math.round(this.groups * 0.03));
    const g1 = Math.max(2, Math.round(this.groups * 0.12));
    this.groupStart = [g3 + g2 + g1, g3 + g2, g3, 0];
  }

  /** The sections in order: `[count, emitter]`, nodes first. */
  sections(): [number, Emit][] {
    return [
      [this.teams, (t, out) => this.teamNode(t, out)],
      [this.persons, (p, out) => this.personNode(p, out)],
      [this.vendors, (v, out) => this.vendorNode(v, out)],
      [this.services, (s, out) => this.serviceNodes(s, out)],
      [this.centralRoles, (c, out) => node(out, 'Role', `role:central:${c}`, `"name":"${this.centralName(c)}","origin":"CENTRAL"`)],
      [this.groups, (g, out) => node(out, 'Group', `grp:${g}`, `"name":"${this.groupName(g)}"`)],
      [this.identities, (i, out) => this.identityNodes(i, out)],
      [this.services, (s, out) => this.serviceEdges(s, out)],
      [this.centralRoles, (c, out) => this.centralEdges(c, out)],
      [this.groups, (g, out) => this.groupEdges(g, out)],
      [this.identities, (i, out) => this.identityEdges(i, out)],
    ];
  }

  service(s: number): ServicePlan {
    const r = this.stream(SALT.service, s);
    const team = zipf(r(), this.teams);
    const roles = 2 + Math.floor(r() * 4);
    const scopes = roles + Math.floor(r() * 4);
    const criticality = weighted(r(), [0.25, 0.6, 0.88]);
    const environment = ['prod', 'staging', 'dev', 'test'][weighted(r(), [0.55, 0.75, 0.95])]!;
    const createdDaysAgo = 30 + Math.floor(r() * 1800);
    const resource = Math.floor(r() * RESOURCES.length);
    return { team, roles, scopes, criticality, environment, retired: s % 32 === 7, createdDaysAgo, resource, random: r };
  }

  identity(i: number): IdentityPlan {
    const r = this.stream(SALT.identity, i);
    const human = r() < 1 / 35;
    const k = r();
    const kind: IdentityKind = human ? 'HUMAN' : k < 0.42 ? 'SERVICE_ACCOUNT' : k < 0.8 ? 'WORKLOAD' : k < 0.92 ? 'BOT' : 'AI_AGENT';
    const t = r();
    const tier = human ? (t < 0.08 ? 2 : 0) : t < 0.02 ? 1 : t < 0.03 ? 2 : 0;
    const home = Math.floor(r() * this.services);
    const c = r();
    return { human, kind, tier, home, credentials: human ? (c < 0.35 ? 1 : 0) : c < 0.2 ? 2 : 1 };
  }

  private teamNode(t: number, out: string[]): void {
    const r = this.stream(SALT.team, t);
    const name = uniqueName(t, DOMAINS, TEAM_WORDS);
    node(out, 'Owner', `team:${t}`, `"createdAt":"${this.daysAgo(200 + Math.floor(r() * 2000))}","email":"${name}@example.com","kind":"TEAM","name":"${name}","status":"ACTIVE"`);
  }

  private personNode(p: number, out: string[]): void {
    const r = this.stream(SALT.person, p);
    const first = pick(r(), FIRST);
    const last = pick(r(), LAST);
    const status = r() < 0.08 ? 'DEPARTED' : 'ACTIVE';
    const email = `${first.toLowerCase()}.${last.toLowerCase()}.${p}@example.com`;
    node(out, 'Owner', `person:${p}`, `"createdAt":"${this.daysAgo(30 + Math.floor(r() * 2000))}","email":"${email}","kind":"PERSON","name":"${first} ${last}","status":"${status}"`);
  }

  private vendorNode(v: number, out: string[]): void {
    const name = v < VENDORS.length ? VENDORS[v]! : `${VENDORS[v % VENDORS.length]!}-${Math.floor(v / VENDORS.length) + 1}`;
    node(out, 'Vendor', `vendor:${v}`, `"name":"${name}","status":"${v % 6 === 1 ? 'OFFBOARDED' : 'ACTIVE'}"`);
  }

  private serviceNodes(s: number, out: string[]): void {
    const plan = this.service(s);
    const r = plan.random;
    const name = uniqueName(s, DOMAINS, COMPONENTS);
    node(out, 'Service', `svc:${s}`, `"createdAt":"${this.daysAgo(plan.createdDaysAgo)}","criticality":"${SEVERITIES[plan.criticality]!}","environment":"${plan.environment}","name":"${name}","status":"${plan.retired ? 'RETIRED' : 'ACTIVE'}"`);
    for (let j = 0; j < plan.scopes; j++) {
      const level = LEVELS[j % 3]!;
      const resource = RESOURCES[(plan.resource + Math.floor(j / 3)) % RESOURCES.length]!;
      const jitter = weighted(r(), [0.2, 0.8]) - 1;
      const sensitivity = SEVERITIES[clamp(plan.criticality + (j % 3) - 1 + jitter, 0, 3)]!;
      node(out, 'Scope', `scope:${s}:${j}`, `"level":"${level}","name":"${name}:${resource}:${level.toLowerCase()}","sensitivity":"${sensitivity}"`);
    }
    for (let k = 0; k < plan.roles; k++) {
      node(out, 'Role', `role:${s}:${k}`, `"name":"${name}-${ROLE_WORDS[k]!}","origin":"LOCAL","service":"svc:${s}"`);
    }
  }

  private identityNodes(i: number, out: string[]): void {
    const plan = this.identity(i);
    const r = this.stream(SALT.identityNode, i);
    const id = identityId(i, plan.kind);
    const s = r();
    const status = plan.human ? (s < 0.05 ? 'DISABLED' : s < 0.07 ? 'RETIRED' : 'ACTIVE') : s < 0.03 ? 'DISABLED' : s < 0.05 ? 'RETIRED' : 'ACTIVE';
    const environment = plan.human ? 'prod' : ['prod', 'staging', 'dev', 'test'][weighted(r(), [0.5, 0.7, 0.92])]!;
    const createdHours = (1 + Math.floor(r() * r() * 2000)) * 24 + Math.floor(r() * 24);
    const lastSeen = status !== 'ACTIVE' ? (30 + Math.floor(r() * 870)) * 24 : r() < 0.08 ? (90 + Math.floor(r() * 610)) * 24 : Math.floor(r() * 72);
    const name = plan.human
      ? `${pick(r(), FIRST)} ${pick(r(), LAST)}`
      : `${uniqueName(plan.home, DOMAINS, COMPONENTS)}-${pick(r(), NHI_WORDS[plan.kind])}-${i}`;
    node(out, 'Identity', id, `"createdAt":"${this.at(-createdHours)}","environment":"${environment}","kind":"${plan.kind}","lastSeenAt":"${this.at(-Math.min(lastSeen, createdHours))}","name":"${name}","status":"${status}"`);
    for (let c = 0; c < plan.credentials; c++) this.credentialNode(i, c, plan.kind, r, out);
  }

  private credentialNode(i: number, c: number, owner: IdentityKind, r: () => number, out: string[]): void {
    const kind = credentialKind(owner, r());
    const stale = r() < 0.15;
    const issuedDays = stale ? 200 + Math.floor(r() * 1000) : kind === 'ACCESS_TOKEN' ? Math.floor(r() * 60) : Math.floor(r() * r() * 1100);
    const issued = issuedDays * 24 + Math.floor(r() * 24);
    const ttlDays = credentialTtlDays(kind, r);
    const expires = ttlDays === undefined ? undefined : -issued + ttlDays * 24;
    const usedAgo = stale ? 180 * 24 + Math.floor(r() * (issued - 180 * 24)) : r() < 0.12 ? undefined : Math.floor(r() * Math.min(issued, 14 * 24));
    const rotated = r() < 0.2 ? Math.floor(r() * issued) : undefined;
    const revoked = r() < 0.02 ? Math.floor(r() * Math.min(issued, 60 * 24)) : undefined;
    // In hours ago: last used after it was issued, and not after it expired or was revoked.
    const end = Math.max(expires !== undefined && expires < 0 ? -expires : 0, revoked ?? 0);
    const lastUsed = usedAgo === undefined ? undefined : Math.max(usedAgo, end);
    for (let k = 0; k < 32; k += 4) this.digest.writeUInt32BE((r() * 4294967296) >>> 0, k);
    const fingerprint = `sha256:${this.digest.toString('hex')}`;
    const props =
      `${expires === undefined ? '' : `"expiresAt":"${this.at(expires)}",`}"fingerprint":"${fingerprint}","issuedAt":"${this.at(-issued)}","kind":"${kind}"` +
      `${lastUsed === undefined ? '' : `,"lastUsedAt":"${this.at(-lastUsed)}"`},"name":"${CREDENTIAL_SLUG[kind]!}-${i}-${c}"` +
      `${revoked === undefined ? '' : `,"revokedAt":"${this.at(-revoked)}"`}${rotated === undefined ? '' : `,"rotatedAt":"${this.at(-rotated)}"`}`;
    node(out, 'Credential', `cred:${i}:${c}`, props);
  }

  private serviceEdges(s: number, out: string[]): void {
    const plan = this.service(s);
    const svc = `svc:${s}`;
    const local = `"domain":"${svc}","origin":"LOCAL"`;
    edge(out, 'OWNS', `team:${plan.team}`, svc);
    for (let j = 0; j < plan.scopes; j++) edge(out, 'ON', `scope:${s}:${j}`, svc);
    for (let k = 0; k < plan.roles; k++) {
      const from = Math.floor((k * plan.scopes) / plan.roles);
      const to = Math.floor(((k + 1) * plan.scopes) / plan.roles);
      for (let j = from; j < to; j++) edge(out, 'GRANTS', `role:${s}:${k}`, `scope:${s}:${j}`, local);
      if (k > 0) edge(out, 'INHERITS', `role:${s}:${k}`, `role:${s}:${k - 1}`, local);
    }
  }

  /** Tier 0 inherits local roles at most 4th on their ladder, so no chain is longer than 6 edges. */
  private centralEdges(c: number, out: string[]): void {
    const r = this.stream(SALT.central, c);
    const [c0, c1] = this.tiers;
    const from = `role:central:${c}`;
    const central = '"origin":"CENTRAL"';
    const count = 1 + Math.floor(r() * (c < c0 + c1 ? 3 : 2));
    const base = r();
    for (let t = 0; t < count; t++) {
      if (c < c0) {
        const s = (Math.floor(base * this.services) + t) % this.services;
        const position = Math.min(this.service(s).roles - 1, Math.floor(r() * 4));
        edge(out, 'INHERITS', from, `role:${s}:${position}`, central);
      } else if (c < c0 + c1) {
        edge(out, 'INHERITS', from, `role:central:${(Math.floor(base * c0) + t) % c0}`, central);
      } else {
        edge(out, 'INHERITS', from, `role:central:${c0 + ((Math.floor(base * c1) + t) % c1)}`, central);
      }
    }
  }

  private groupEdges(g: number, out: string[]): void {
    const r = this.stream(SALT.groupEdges, g);
    const tier = this.groupTier(g);
    const from = `grp:${g}`;
    if (tier < 3 && r() < [0.6, 0.85, 1][tier]!) {
      const start = this.groupStart[tier + 1]!;
      const size = this.groupStart[tier]! - start;
      const parent = Math.floor(r() * size);
      edge(out, 'MEMBER_OF', from, `grp:${start + parent}`, this.grant(r, 'CENTRAL'));
      if (size > 1 && r() < 0.1) edge(out, 'MEMBER_OF', from, `grp:${start + ((parent + 1) % size)}`, this.grant(r, 'CENTRAL'));
    }
    if (tier === 0) {
      const s = Math.floor(r() * this.services);
      edge(out, 'HAS_ROLE', from, `role:${s}:${Math.floor(r() * this.service(s).roles)}`, this.grant(r, 'LOCAL', `svc:${s}`));
      if (r() < 0.3) edge(out, 'HAS_ROLE', from, this.centralRole(0, r()), this.grant(r, 'CENTRAL'));
    } else {
      edge(out, 'HAS_ROLE', from, this.centralRole(tier - 1, r()), this.grant(r, 'CENTRAL'));
    }
  }

  private identityEdges(i: number, out: string[]): void {
    const plan = this.identity(i);
    const r = this.stream(SALT.identityEdges, i);
    const id = identityId(i, plan.kind);
    const home = `svc:${plan.home}`;
    for (let c = 0; c < plan.credentials; c++) {
      const cred = `cred:${i}:${c}`;
      edge(out, 'AUTHENTICATES', cred, id);
      if (plan.human) continue;
      if (r() < 0.3) edge(out, 'HOLDS', home, cred);
      if (r() < 0.02) {
        const other = Math.floor(r() * this.services);
        if (other !== plan.home) edge(out, 'HOLDS', `svc:${other}`, cred);
      }
      if (r() < 0.04) edge(out, 'OWNS', `person:${zipf(r(), this.persons)}`, cred);
    }
    if (plan.human) this.humanGrants(id, r, out);
    else this.nhiEdges(id, plan, r, out);
    if (plan.tier > 0) this.canAssume(i, id, plan, r, out);
  }

  private humanGrants(id: string, r: () => number, out: string[]): void {
    const leaves = this.groups - this.groupStart[0];
    const groups = 2 + Math.floor(r() * 3);
    const base = Math.floor(r() * leaves);
    for (let t = 0; t < groups; t++) edge(out, 'MEMBER_OF', id, `grp:${this.groupStart[0] + ((base + t) % leaves)}`, this.grant(r, 'CENTRAL'));
    const roles = r() < 0.4 ? 2 : 1;
    let previous = '';
    for (let t = 0; t < roles; t++) {
      let role: string;
      let props: string;
      if (r() < 0.65) {
        const s = Math.floor(r() * this.services);
        role = `role:${s}:${Math.floor(r() * this.service(s).roles)}`;
        props = this.grant(r, 'LOCAL', `svc:${s}`);
      } else {
        role = this.centralRole(r() < 0.75 ? 0 : 1, r());
        props = this.grant(r, 'CENTRAL');
      }
      if (role !== previous) edge(out, 'HAS_ROLE', id, role, props);
      previous = role;
    }
  }

  private nhiEdges(id: string, plan: IdentityPlan, r: () => number, out: string[]): void {
    const home = `svc:${plan.home}`;
    const service = this.service(plan.home);
    const owner = r();
    if (owner < 0.75) edge(out, 'OWNS', `team:${service.team}`, id);
    else if (owner < 0.93) edge(out, 'OWNS', `person:${zipf(r(), this.persons)}`, id);
    if (plan.kind !== 'WORKLOAD' && r() < 0.06) edge(out, 'OPERATES', `vendor:${zipf(r(), this.vendors)}`, id);
    if (r() < (plan.kind === 'WORKLOAD' ? 0.6 : plan.kind === 'SERVICE_ACCOUNT' ? 0.1 : 0)) edge(out, 'RUNS_AS', home, id);
    const u = r();
    const roles = u < 0.55 ? 1 : u < 0.9 ? 2 : 3;
    const local = Math.floor(r() * service.roles);
    const central = r();
    const seen: string[] = [];
    for (let t = 0; t < roles; t++) {
      const isCentral = r() < 0.15;
      const role = isCentral ? this.centralRole(weighted(r(), [0.85, 0.97]), central, t) : `role:${plan.home}:${(local + t) % service.roles}`;
      if (seen.includes(role)) continue;
      seen.push(role);
      edge(out, 'HAS_ROLE', id, role, isCentral ? this.grant(r, 'CENTRAL') : this.grant(r, 'LOCAL', home));
    }
    if (r() < 0.25) edge(out, 'MEMBER_OF', id, `grp:${this.groupStart[0] + Math.floor(r() * (this.groups - this.groupStart[0]))}`, this.grant(r, 'CENTRAL'));
  }

  /**
   * One CAN_ASSUME towards an earlier identity of the tier below (a tier-1 target, or failing that a
   * plain NHI, for tier 2), searched backwards from a random index: chains are at most 2 edges, acyclic.
   */
  private canAssume(i: number, id: string, plan: IdentityPlan, r: () => number, out: string[]): void {
    const start = Math.floor(r() * i);
    const target = this.findEarlier(start, plan.tier - 1) ?? (plan.tier === 2 ? this.findEarlier(start, 0) : undefined);
    if (target === undefined) return;
    const local = !plan.human && r() < 0.4;
    edge(out, 'CAN_ASSUME', id, identityId(target.index, target.kind), local ? this.grant(r, 'LOCAL', `svc:${plan.home}`) : this.grant(r, 'CENTRAL'));
  }

  private findEarlier(start: number, tier: number): { index: number; kind: IdentityKind } | undefined {
    for (let j = start; j >= 0 && j > start - 256; j--) {
      const candidate = this.identity(j);
      if (candidate.tier === tier && !candidate.human) return { index: j, kind: candidate.kind };
    }
    return undefined;
  }

  /**
   * Grant props in sorted key order: 2 % REVOKED, 1.5 % PENDING (requested in the last 3 days), 6 % just
   * in time (granted in the last 30 days for 1-30 days), the rest granted up to 3 years ago for good.
   */
  private grant(r: () => number, origin: 'CENTRAL' | 'LOCAL', domain?: string): string {
    const s = r();
    const status = s < 0.02 ? 'REVOKED' : s < 0.035 ? 'PENDING' : 'ACTIVE';
    const jit = status !== 'PENDING' && r() < 0.06;
    const granted = status === 'PENDING' ? Math.floor(r() * 72) : jit ? Math.floor(r() * 30 * 24) : (1 + Math.floor(r() * r() * 1100)) * 24 + Math.floor(r() * 24);
    const expires = jit ? -granted + (1 + Math.floor(r() * 30)) * 24 : undefined;
    const revoked = status === 'REVOKED' ? `,"revokedAt":"${this.at(-Math.floor(r() * granted))}","revokedBy":"access-review"` : '';
    return `${domain === undefined ? '' : `"domain":"${domain}",`}${expires === undefined ? '' : `"expiresAt":"${this.at(expires)}",`}"grantedAt":"${this.at(-granted)}","origin":"${origin}"${revoked},"status":"${status}"`;
  }

  /** A central role of `tier` at the position `unit` (in [0, 1)) picks, shifted by `offset`. */
  private centralRole(tier: number, unit: number, offset = 0): string {
    const size = this.tiers[tier as 0 | 1 | 2];
    const start = tier === 0 ? 0 : tier === 1 ? this.tiers[0] : this.tiers[0] + this.tiers[1];
    return `role:central:${start + ((Math.floor(unit * size) + offset) % size)}`;
  }

  private centralName(c: number): string {
    const [c0, c1] = this.tiers;
    if (c < c0) return `${DOMAINS[c % DOMAINS.length]!}-access-${c}`;
    return c < c0 + c1 ? `department-${c}` : `platform-admin-${c}`;
  }

  private groupTier(g: number): number {
    const [leaf, tier1, tier2] = this.groupStart;
    return g >= leaf ? 0 : g >= tier1 ? 1 : g >= tier2 ? 2 : 3;
  }

  private groupName(g: number): string {
    const tier = this.groupTier(g);
    if (tier > 0) return `${['', 'area', 'department', 'division'][tier]!}-${g}`;
    return `${DOMAINS[g % DOMAINS.length]!}-${TEAM_WORDS[Math.floor(g / DOMAINS.length) % TEAM_WORDS.length]!}-${g}`;
  }

  private stream(salt: number, index: number): () => number {
    return mulberry32(hash32(this.seed, salt, index));
  }

  private daysAgo(days: number): string {
    return this.at(-days * 24);
  }

  /** The instant `hours` from the anchor, ISO-8601 to the second (cached: a few formats per line). */
  private at(hours: number): string {
    const slot = hours + PAST_HOURS;
    if (slot < 0 || slot > PAST_HOURS + FUTURE_HOURS) return iso(this.anchorMs + hours * HOUR);
    const cached = this.times[slot]!;
    if (cached !== '') return cached;
    return (this.times[slot] = iso(this.anchorMs + hours * HOUR));
  }
}

/** The options with their defaults; every problem reported at once. @throws IdGraphError BAD_USER_INPUT */
function getValidEnterpriseOptions(options: EnterpriseOptions): Required<EnterpriseOptions> {
  const { identities, seed = DEFAULT_ENTERPRISE_SEED, anchor = DEFAULT_ENTERPRISE_ANCHOR } = options;
  const issues: Issue[] = [];
  if (!(Number.isInteger(identities) && identities >= 1 && identities <= MAX_ENTERPRISE_IDENTITIES)) {
    issues.push({ path: 'identities', message: `must be a whole number from 1 to ${MAX_ENTERPRISE_IDENTITIES}, got ${identities}` });
  }
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    issues.push({ path: 'seed', message: `must be a whole number from 0 to ${0xffffffff}, got ${seed}` });
  }
  if (!(anchor instanceof Date) || Number.isNaN(anchor.getTime())) issues.push({ path: 'anchor', message: 'must be a valid date' });
  if (issues.length > 0) throw new IdGraphError('BAD_USER_INPUT', `Invalid enterprise options: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, { issues });
  return { identities, seed, anchor };
}

function node(out: string[], label: NodeLabel, id: string, props: string): void {
  out.push(`{"type":"node","label":"${label}","id":"${id}","props":{${props}}}`);
}

function edge(out: string[], label: EdgeType, from: string, to: string, props = ''): void {
  out.push(`{"type":"edge","label":"${label}","from":"${from}","to":"${to}","props":{${props}}}`);
}

function identityId(i: number, kind: IdentityKind): string {
  return `${ID_PREFIX[kind]}:${i}`;
}

function credentialKind(owner: IdentityKind, u: number): string {
  switch (owner) {
    case 'HUMAN':
      return u < 0.45 ? 'PASSWORD' : u < 0.8 ? 'SSH_KEY' : 'ACCESS_TOKEN';
    case 'WORKLOAD':
      return u < 0.35 ? 'CERTIFICATE' : u < 0.65 ? 'ACCESS_TOKEN' : u < 0.85 ? 'SECRET' : 'OAUTH_CLIENT';
    case 'SERVICE_ACCOUNT':
      return u < 0.35 ? 'API_KEY' : u < 0.5 ? 'SSH_KEY' : u < 0.7 ? 'OAUTH_CLIENT' : u < 0.9 ? 'SECRET' : u < 0.95 ? 'PASSWORD' : 'CERTIFICATE';
    case 'BOT':
      return u < 0.5 ? 'API_KEY' : u < 0.8 ? 'ACCESS_TOKEN' : u < 0.9 ? 'SSH_KEY' : 'PASSWORD';
    case 'AI_AGENT':
      return u < 0.45 ? 'API_KEY' : u < 0.8 ? 'ACCESS_TOKEN' : 'OAUTH_CLIENT';
  }
}

/** How long a credential of `kind` is valid, in days; undefined: it never expires. */
function credentialTtlDays(kind: string, r: () => number): number | undefined {
  if (kind === 'ACCESS_TOKEN') return 1 + Math.floor(r() * 90);
  if (kind === 'CERTIFICATE') return 90 + Math.floor(r() * 309);
  if (r() < (kind === 'OAUTH_CLIENT' ? 0.6 : 0.45)) return undefined;
  return 90 + Math.floor(r() * 640);
}

/**
 * A Zipf-like rank in `[0, n)` from a uniform `u`: P(rank ≤ k) ≈ ln(k + 1) / ln(n + 1), so rank 0 is drawn
 * about ln 2 / ln(n + 1) of the time and rank k about 1 / ((k + 1.5) ln(n + 1)): a few take most.
 */
function zipf(u: number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(u * Math.log(n + 1))) - 1);
}

/** The index of the first cumulative weight above `u`, or `cumulative.length` when none is. */
function weighted(u: number, cumulative: readonly number[]): number {
  let k = 0;
  while (k < cumulative.length && u >= cumulative[k]!) k++;
  return k;
}

function pick<T>(u: number, values: readonly T[]): T {
  return values[Math.floor(u * values.length)]!;
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** `a-b` from two word lists by index, with a numeric suffix once the pairs run out: unique per index. */
function uniqueName(index: number, first: readonly string[], second: readonly string[]): string {
  const pairs = first.length * second.length;
  const base = `${first[index % first.length]!}-${second[Math.floor(index / first.length) % second.length]!}`;
  return index < pairs ? base : `${base}-${Math.floor(index / pairs) + 1}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
