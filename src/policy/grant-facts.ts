/**
 * What a grant edge would hand over, and to whom, read off the projection: the facts that the Cedar
 * guardrails decide on. Pure over an `Adjacency` and a props lookup, so a mutation (before it writes)
 * and the drift report (over existing grants) ask the same question the same way.
 *
 * The props are what the projection does not hold (an identity's or a service's environment, a role's
 * origin and service, a grant's domain). Lookups are synchronous so that the builders stay pure; a caller
 * backed by the store loads what it needs first (a DataLoader batch).
 */
import { IdGraphError, badInput, type Issue } from '../model/errors.js';
import { isLiveAt } from '../model/liveness.js';
import type { Props } from '../model/properties.js';
import { edgeKeyString, type EdgeKey, type EdgeRecord, type NodeRecord } from '../model/records.js';
import { SCOPE_LEVELS, SEVERITIES, allowsEndpoints, type EdgeType, type Origin } from '../model/vocabulary.js';
import type { Adjacency } from '../paths/adjacency.js';
import type { GrantEdgeType, GrantFacts, IdentityFacts } from './guardrail-request.js';

/** A node's properties by id; undefined when unknown. */
export type NodeProps = (id: string) => Props | undefined;

/** Node and edge properties, for the drift report, which reads every grant's domain. */
export interface GraphProps {
  readonly node: NodeProps;
  readonly edge: (edge: EdgeKey) => Props | undefined;
}

/** The grant asked about: a new one (from a mutation) or an existing edge (from the drift report). */
export interface GrantSubject {
  readonly type: GrantEdgeType;
  /** The grantee: an Identity, or a Group for MEMBER_OF and HAS_ROLE. */
  readonly from: string;
  /** A Role (HAS_ROLE), a Group (MEMBER_OF) or an Identity (CAN_ASSUME). */
  readonly to: string;
  readonly key?: string | undefined;
  /** Default: LOCAL when a domain is given, else CENTRAL (as the seed and import read grants). */
  readonly origin?: Origin | undefined;
  readonly domain?: string | undefined;
}

/**
 * Walks shared by the facts of many grants over one projection at one instant (the drift report): what a
 * target hands over, and who would gain through a grantee. Make one per batch; it is never invalidated.
 */
export interface GrantFactsCache {
  /** By grant type and target node: what the grant hands over. */
  readonly targets: Map<string, Omit<GrantFacts, 'edge' | 'recipients'>>;
  /** By grantee node: who would gain. */
  readonly recipients: Map<number, IdentityFacts[]>;
  /** By identity node: one recipient's facts (an identity is a member of many groups that hold grants). */
  readonly identities: Map<number, IdentityFacts>;
  /** By owner node: the services it owns. */
  readonly ownedServices: Map<number, string[]>;
}

/** @example const cache = grantFactsCache(); for (const g of grants) grantFacts(adj, props, g, at, cache) */
export function grantFactsCache(): GrantFactsCache {
  return { targets: new Map(), recipients: new Map(), identities: new Map(), ownedServices: new Map() };
}

/** Privilege flows forward along these from the grant's target (DESIGN.md, Semantics: Privilege). */
const FORWARD: ReadonlySet<EdgeType> = new Set<EdgeType>(['MEMBER_OF', 'HAS_ROLE', 'CAN_ASSUME', 'INHERITS', 'GRANTS']);
/** Whoever reaches the grantee along these gains what the grantee gains. */
const BACKWARD: ReadonlySet<EdgeType> = new Set<EdgeType>(['MEMBER_OF', 'CAN_ASSUME']);

/**
 * The facts of `grant` at `at` (epoch ms). Walks are live at `at` (nodes and edges), except that the
 * grantee and the target count whatever their own state: the grant is to them, and a disabled
 * identity may be enabled again.
 * @throws IdGraphError NOT_FOUND for an unknown grantee or target; BAD_USER_INPUT when the edge type
 *   does not join their labels or the domain is not a Service.
 * @example grantFacts(projection, props, { type: 'HAS_ROLE', from: 'sa:ci', to: 'role:payments-reader', domain: 'svc:payments' }, Date.now())
 */
export function grantFacts(adj: Adjacency, props: NodeProps, grant: GrantSubject, at: number, cache?: GrantFactsCache): GrantFacts {
  const { from, to } = checkSubject(adj, grant);
  const origin: Origin = grant.origin ?? (grant.domain === undefined ? 'CENTRAL' : 'LOCAL');
  const target = cached(cache?.targets, `${grant.type} ${to}`, () => targetFacts(adj, props, grant.type, to, at));
  return {
    edge: { type: grant.type, from: grant.from, to: grant.to, key: grant.key ?? '', origin, domain: grant.domain },
    recipients: cached(cache?.recipients, from, () => recipientsOf(adj, props, from, at, cache)),
    ...target,
  };
}

/** What a grant of this type to this target hands over, whoever the grantee: the same for every holder. */
type TargetFacts = Omit<GrantFacts, 'edge' | 'recipients'>;

function targetFacts(adj: Adjacency, props: NodeProps, type: GrantEdgeType, to: number, at: number): TargetFacts {
  const reached = walkForward(adj, to, at);
  const conferredRoles = type === 'HAS_ROLE' ? [adj.idOf(to), ...reached.roles] : reached.roles;
  const roleFacts = [...new Set(conferredRoles)].map((role) => roleOf(props, role));
  const scopes = reached.scopes;
  return {
    role: type === 'HAS_ROLE' ? roleFacts[0] : undefined,
    conferredRoles: roleFacts.map((r) => r.id).sort(),
    conferredServices: sortedSet(roleFacts.flatMap((r) => (r.origin === 'LOCAL' && r.service !== undefined ? [r.service] : []))),
    confersCentral: roleFacts.some((r) => r.origin !== 'LOCAL' || r.service === undefined),
    assumedIdentityServices: type === 'CAN_ASSUME' ? identityFactsOf(adj, props, to, at).services : [],
    scopes: scopes.map((s) => adj.idOf(s)).sort(),
    maxSensitivity: highest(SEVERITIES, scopes.map((s) => adj.severityOf(s) ?? 'LOW')),
    maxLevel: highest(SCOPE_LEVELS, scopes.map((s) => adj.scopeLevelOf(s) ?? 'READ')),
    scopeEnvironments: sortedSet(scopes.flatMap((s) => environmentsOn(adj, props, s))),
  };
}

/**
 * The facts of identity `id` at `at` (epoch ms). A vendor counts whatever its status: having been run by a
 * third party is the fact that matters. An owner counts only while live (a departed owner owns nothing).
 * The services are those its owners own and those that RUNS_AS it.
 * @throws IdGraphError NOT_FOUND when no Identity has that id.
 * @example identityFacts(projection, (id) => props.get(id), 'sa:payments-ci', Date.now())
 */
export function identityFacts(adj: Adjacency, props: NodeProps, id: string, at: number): IdentityFacts {
  const node = adj.indexOf(id);
  if (node === undefined || adj.labelOf(node) !== 'Identity') throw new IdGraphError('NOT_FOUND', `No identity with id "${id}"`);
  return identityFactsOf(adj, props, node, at);
}

/** `identityFacts` by node index; the caller has checked the label (or walked to it). */
function identityFactsOf(adj: Adjacency, props: NodeProps, node: number, at: number, cache?: GrantFactsCache): IdentityFacts {
  const operatedBy: string[] = [];
  const ownedBy: string[] = [];
  const services = new Set<string>();
  adj.forEachIn(node, (edge) => {
    const from = adj.edgeFrom(edge);
    const type = adj.edgeType(edge);
    if (type === 'OPERATES') operatedBy.push(adj.idOf(from));
    else if (type === 'RUNS_AS') services.add(adj.idOf(from));
    else if (type === 'OWNS' && isLiveAt(adj.edgeStart(edge), adj.edgeEnd(edge), at) && isLiveAt(adj.nodeStart(from), adj.nodeEnd(from), at)) {
      ownedBy.push(adj.idOf(from));
      // A team owns thousands of identities: its services are listed once per batch, not per identity.
      for (const service of cached(cache?.ownedServices, from, () => ownedServicesOf(adj, from))) services.add(service);
    }
  });
  const environment = props(adj.idOf(node))?.['environment'];
  return {
    id: adj.idOf(node),
    environment: typeof environment === 'string' ? environment : undefined,
    operatedBy: operatedBy.sort(),
    ownedBy: ownedBy.sort(),
    services: [...services].sort(),
  };
}

/**
 * Lookups over records in memory: for tests, the CLI and tools that hold the records already.
 * @example guardrailViolations(projection, graphPropsOf(nodes, edges), guardrails, Date.now())
 */
export function graphPropsOf(nodes: readonly NodeRecord[], edges: readonly EdgeRecord[]): GraphProps {
  const byId = new Map(nodes.map((n) => [n.id, n.props]));
  const byKey = new Map(edges.map((e) => [edgeKeyString(e), e.props]));
  return { node: (id) => byId.get(id), edge: (key) => byKey.get(edgeKeyString(key)) };
}

function checkSubject(adj: Adjacency, grant: GrantSubject): { from: number; to: number } {
  const from = adj.indexOf(grant.from);
  const to = adj.indexOf(grant.to);
  if (from === undefined) throw new IdGraphError('NOT_FOUND', `No node with id "${grant.from}"`);
  if (to === undefined) throw new IdGraphError('NOT_FOUND', `No node with id "${grant.to}"`);
  const issues: Issue[] = [];
  if (!allowsEndpoints(grant.type, adj.labelOf(from), adj.labelOf(to))) {
    issues.push({ path: 'type', message: `${grant.type} cannot join ${adj.labelOf(from)} "${grant.from}" to ${adj.labelOf(to)} "${grant.to}"` });
  }
  if (grant.domain !== undefined) {
    const domain = adj.indexOf(grant.domain);
    if (domain === undefined || adj.labelOf(domain) !== 'Service') issues.push({ path: 'domain', message: `must be a Service id, got "${grant.domain}"` });
  }
  if (issues.length > 0) throw badInput(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  return { from, to };
}

/** Roles reached by HAS_ROLE and scopes reached by GRANTS, breadth-first from `start`, live at `at`. */
function walkForward(adj: Adjacency, start: number, at: number): { roles: string[]; scopes: number[] } {
  const seen = new Set<number>([start]);
  const queue = [start];
  const roles: string[] = [];
  const scopes: number[] = [];
  for (let i = 0; i < queue.length; i++) {
    adj.forEachOut(queue[i]!, (edge) => {
      const type = adj.edgeType(edge);
      const next = adj.edgeTo(edge);
      if (!FORWARD.has(type) || seen.has(next) || !edgeLive(adj, edge, at) || !nodeLive(adj, next, at)) return;
      seen.add(next);
      queue.push(next);
      if (type === 'HAS_ROLE') roles.push(adj.idOf(next));
      if (adj.labelOf(next) === 'Scope') scopes.push(next);
    });
  }
  return { roles, scopes };
}

/** The grantee (if an identity) and every identity that reaches it, live, through CAN_ASSUME or MEMBER_OF. */
function recipientsOf(adj: Adjacency, props: NodeProps, grantee: number, at: number, cache?: GrantFactsCache): IdentityFacts[] {
  const seen = new Set<number>([grantee]);
  const queue = [grantee];
  for (let i = 0; i < queue.length; i++) {
    adj.forEachIn(queue[i]!, (edge) => {
      const prev = adj.edgeFrom(edge);
      if (!BACKWARD.has(adj.edgeType(edge)) || seen.has(prev) || !edgeLive(adj, edge, at) || !nodeLive(adj, prev, at)) return;
      seen.add(prev);
      queue.push(prev);
    });
  }
  return queue
    .filter((node) => adj.labelOf(node) === 'Identity')
    .map((node) => cached(cache?.identities, node, () => identityFactsOf(adj, props, node, at, cache)))
    .sort((a, b) => compare(a.id, b.id));
}

function ownedServicesOf(adj: Adjacency, owner: number): string[] {
  const services: string[] = [];
  adj.forEachOut(owner, (owned) => {
    const to = adj.edgeTo(owned);
    if (adj.edgeType(owned) === 'OWNS' && adj.labelOf(to) === 'Service') services.push(adj.idOf(to));
  });
  return services;
}

function cached<K, V>(map: Map<K, V> | undefined, key: K, compute: () => V): V {
  if (map === undefined) return compute();
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = compute()));
  return value;
}

function roleOf(props: NodeProps, id: string): { id: string; origin: Origin; service?: string | undefined } {
  const p = props(id);
  // A role whose origin is unknown is treated as central: only a central admin hands it out.
  const origin: Origin = p?.['origin'] === 'LOCAL' ? 'LOCAL' : 'CENTRAL';
  const service = p?.['service'];
  return { id, origin, service: typeof service === 'string' ? service : undefined };
}

/** The environments of the services a scope is ON, whatever their state: a retired prod service is still prod. */
function environmentsOn(adj: Adjacency, props: NodeProps, scope: number): string[] {
  const environments: string[] = [];
  adj.forEachOut(scope, (edge) => {
    if (adj.edgeType(edge) !== 'ON') return;
    const environment = props(adj.idOf(adj.edgeTo(edge)))?.['environment'];
    if (typeof environment === 'string') environments.push(environment);
  });
  return environments;
}

function edgeLive(adj: Adjacency, edge: number, at: number): boolean {
  return isLiveAt(adj.edgeStart(edge), adj.edgeEnd(edge), at);
}

function nodeLive(adj: Adjacency, node: number, at: number): boolean {
  return isLiveAt(adj.nodeStart(node), adj.nodeEnd(node), at);
}

function highest<T extends string>(order: readonly T[], values: readonly T[]): T | undefined {
  let best = -1;
  for (const value of values) best = Math.max(best, order.indexOf(value));
  return best < 0 ? undefined : order[best];
}

function sortedSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compare);
}

/** Code-unit order, the same in every locale, so that facts and reports are deterministic. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
