/**
 * Lifecycle cascades (DESIGN.md, Policy: central lifecycle events, each cascading to the credentials and
 * grants it ends). `planCascade` computes, without writing, every change one event makes: pure over an
 * `Adjacency` and a props lookup, deterministic, and idempotent (planning again after applying the plan
 * gives an empty plan). Nothing is deleted: a node ends by its `status`, a credential by `revokedAt`, a grant
 * by `status: REVOKED` and `revokedAt`. The one exception is `reassignOwner`, which moves OWNS edges (see
 * `CascadePlan.removed`).
 *
 * Only what has not already ended is touched: an edge already REVOKED, expired or revoked at or before `at`,
 * a credential already revoked or expired, a node already in the target status are left as they are (a
 * revocation scheduled for later is brought forward to `at`). The cascade itself runs whatever the subject's
 * status, so retiring an already RETIRED service still ends the grants it left live.
 */
import { IdGraphError } from '../model/errors.js';
import { isLiveAt } from '../model/liveness.js';
import type { EdgeKey, EdgeRecord } from '../model/records.js';
import type { EdgeType } from '../model/vocabulary.js';
import type { Adjacency } from '../paths/adjacency.js';
import { resolveNode } from '../paths/resolve-node.js';
import { PlanBuilder, REVOCABLE_EDGE_TYPES, type CascadeEntry, type CascadeProps, type EdgePatch, type NodePatch } from './plan-builder.js';

export type { CascadeEntry, CascadeProps, EdgePatch, NodePatch } from './plan-builder.js';

/** A central lifecycle event. Ids name the subject; each must have the label its kind expects. */
export type LifecycleEvent =
  | { readonly kind: 'retireIdentity'; readonly identity: string }
  | { readonly kind: 'retireService'; readonly service: string }
  | { readonly kind: 'offboardVendor'; readonly vendor: string }
  /** After an incident: an Identity (reversibly disabled) or a Credential (revoked). */
  | { readonly kind: 'quarantine'; readonly node: string }
  /** Moves every open OWNS edge of Owner `from` to Owner `to`: the old edges are revoked, new ones added. */
  | { readonly kind: 'reassignOwner'; readonly from: string; readonly to: string };

export interface CascadeOptions {
  /** Who revokes: written as `revokedBy` on every revoked edge (credentials have no such property). */
  readonly by?: string | undefined;
}

/**
 * Every change of one event, as patches: the caller loads the records named here, merges each `patch` over
 * the stored props (`applyCascade` does that), and writes them all in one atomic store write with one audit
 * event. A dry run returns the plan and writes nothing. Every list is sorted, so equal inputs give equal plans.
 */
export interface CascadePlan {
  readonly event: LifecycleEvent;
  /** `at` as ISO-8601 UTC: the time written as `revokedAt` and `updatedAt`. */
  readonly at: string;
  /** Nodes to change (status, or a credential's `revokedAt`), by id. */
  readonly nodes: readonly NodePatch[];
  /** Grant and role-definition edges to revoke, by from, to, type and key. */
  readonly edges: readonly EdgePatch[];
  /** `reassignOwner` only: the new OWNS edges, whole records. */
  readonly added: readonly EdgeRecord[];
  /** The readable list of what ends: nodes, then credentials, then grants, each sorted by id or edge. */
  readonly revoked: readonly CascadeEntry[];
}

const GRANTS_OUT_OF_IDENTITY: ReadonlySet<EdgeType> = new Set<EdgeType>(['MEMBER_OF', 'HAS_ROLE', 'CAN_ASSUME']);
const INTO_ROLE: ReadonlySet<EdgeType> = new Set<EdgeType>(['HAS_ROLE', 'INHERITS']);
const OUT_OF_ROLE: ReadonlySet<EdgeType> = new Set<EdgeType>(['INHERITS', 'GRANTS']);

/**
 * The changes `event` makes at `at` (epoch ms). Rules, by event:
 * - `retireIdentity`: the identity becomes RETIRED; every open MEMBER_OF, HAS_ROLE and CAN_ASSUME out of it,
 *   and every CAN_ASSUME into it, is revoked; every open credential that AUTHENTICATES it is revoked.
 * - `retireService`: the service becomes RETIRED. Each identity it RUNS_AS is retired as above, unless
 *   another service live at `at` (ACTIVE) also RUNS_AS it: a shared workload identity stays while something
 *   still runs as it. Every credential it HOLDS is revoked (a secret a retired service could read must be
 *   reissued, even if another service holds it too). Every role whose `service` is this service has each open
 *   HAS_ROLE and INHERITS into it and INHERITS and GRANTS out of it revoked. Every open grant or role
 *   definition (MEMBER_OF, HAS_ROLE, CAN_ASSUME, INHERITS, GRANTS) whose `domain` is the service is revoked.
 * - `offboardVendor`: the vendor becomes OFFBOARDED; every identity it OPERATES is retired as above.
 * - `quarantine`: an ACTIVE identity becomes DISABLED (reversible; a RETIRED one stays RETIRED), and its
 *   credentials are revoked; its grants are kept, since a node that is not live ends every path through it,
 *   and lifting the quarantine (status ACTIVE) then restores them. A credential is revoked.
 * - `reassignOwner`: every OWNS edge out of `from` moves to `to` (dropped when `to` already owns the target).
 *
 * "Open" means not already ended: live at `at`, or able to become live later (granted in the future, or a
 * PENDING request, which is closed too so that approving it cannot bring back what the event ended).
 *
 * `props.node` must answer for the subject, the identities it may retire, their credentials and every Role
 * (for `service`); `props.edge` for every grant-bearing edge (for `domain`, read over the whole graph for
 * `retireService`). Without an edge's props only its projected interval is known, and a PENDING one is
 * taken as ended.
 * @throws IdGraphError NOT_FOUND for an unknown id; BAD_USER_INPUT for a subject of the wrong label, or a
 * `reassignOwner` to the same owner or to one that is not ACTIVE.
 * @example
 * const plan = planCascade(projection, props, { kind: 'retireService', service: 'svc:legacy-reconciler' }, Date.now(), { by: 'human:ciso' });
 * plan.revoked.map((r) => r.reason);
 */
export function planCascade(adj: Adjacency, props: CascadeProps, event: LifecycleEvent, at: number, options: CascadeOptions = {}): CascadePlan {
  const b = new PlanBuilder(adj, props, at, options.by);
  switch (event.kind) {
    case 'retireIdentity': {
      const identity = resolveNode(adj, event.identity, { query: event.kind, labels: ['Identity'] });
      retireIdentity(adj, b, identity, 'retired', event.identity);
      break;
    }
    case 'retireService':
      retireService(adj, props, b, resolveNode(adj, event.service, { query: event.kind, labels: ['Service'] }), at);
      break;
    case 'offboardVendor':
      offboardVendor(adj, b, resolveNode(adj, event.vendor, { query: event.kind, labels: ['Vendor'] }));
      break;
    case 'quarantine':
      quarantine(adj, b, resolveNode(adj, event.node, { query: event.kind, labels: ['Identity', 'Credential'] }));
      break;
    case 'reassignOwner':
      reassignOwner(adj, b, event, at);
      break;
  }
  return { event, at: new Date(at).toISOString(), ...b.collect() };
}

/**
 * True when the plan changes nothing (what planning again after applying it gives).
 * @example if (isEmptyPlan(plan)) return { revoked: [], sequence: projection.sequence };
 */
export function isEmptyPlan(plan: CascadePlan): boolean {
  return plan.nodes.length + plan.edges.length + plan.added.length === 0;
}

function retireIdentity(adj: Adjacency, b: PlanBuilder, identity: number, reason: string, cause: string): void {
  const id = adj.idOf(identity);
  b.setStatus(identity, 'RETIRED', reason, cause);
  adj.forEachOut(identity, (e) => {
    if (GRANTS_OUT_OF_IDENTITY.has(adj.edgeType(e))) b.revokeEdge(e, `grant held by retired identity ${id}`, id);
  });
  adj.forEachIn(identity, (e) => {
    const type = adj.edgeType(e);
    if (type === 'CAN_ASSUME') b.revokeEdge(e, `delegation to retired identity ${id}`, id);
    else if (type === 'AUTHENTICATES') b.revokeCredential(adj.edgeFrom(e), `authenticates retired identity ${id}`, id);
  });
}

function retireService(adj: Adjacency, props: CascadeProps, b: PlanBuilder, service: number, at: number): void {
  const id = adj.idOf(service);
  b.setStatus(service, 'RETIRED', 'retired', id);
  // Identities first, in id order, so that each edge's reason does not depend on the adjacency's edge order.
  for (const identity of sortedById(adj, targets(adj, service, 'RUNS_AS'))) {
    if (adj.labelOf(identity) !== 'Identity' || runByAnotherLiveService(adj, identity, service, at)) continue;
    retireIdentity(adj, b, identity, `workload identity of retired service ${id}`, id);
  }
  for (const credential of sortedById(adj, targets(adj, service, 'HOLDS'))) {
    b.revokeCredential(credential, `held by retired service ${id}`, id);
  }
  for (const role of sortedById(adj, rolesOf(adj, props, id))) {
    const roleId = adj.idOf(role);
    const reason = `${roleId} is a role of retired service ${id}`;
    adj.forEachIn(role, (e) => {
      if (INTO_ROLE.has(adj.edgeType(e))) b.revokeEdge(e, reason, id);
    });
    adj.forEachOut(role, (e) => {
      if (OUT_OF_ROLE.has(adj.edgeType(e))) b.revokeEdge(e, reason, id);
    });
  }
  for (let e = 0; e < adj.edgeCount; e++) {
    if (REVOCABLE_EDGE_TYPES.has(adj.edgeType(e)) && props.edge(b.keyOf(e))?.['domain'] === id) {
      b.revokeEdge(e, `in the domain of retired service ${id}`, id);
    }
  }
}

function offboardVendor(adj: Adjacency, b: PlanBuilder, vendor: number): void {
  const id = adj.idOf(vendor);
  b.setStatus(vendor, 'OFFBOARDED', 'offboarded', id);
  for (const identity of sortedById(adj, targets(adj, vendor, 'OPERATES'))) {
    retireIdentity(adj, b, identity, `operated by offboarded vendor ${id}`, id);
  }
}

function quarantine(adj: Adjacency, b: PlanBuilder, node: number): void {
  const id = adj.idOf(node);
  if (adj.labelOf(node) === 'Credential') {
    b.revokeCredential(node, 'quarantined', id);
    return;
  }
  // DISABLED is the reversible block; a RETIRED identity is already blocked for good.
  if (b.statusOf(node) === 'ACTIVE') b.setStatus(node, 'DISABLED', 'quarantined', id);
  adj.forEachIn(node, (e) => {
    if (adj.edgeType(e) === 'AUTHENTICATES') b.revokeCredential(adj.edgeFrom(e), `authenticates quarantined identity ${id}`, id);
  });
}

function reassignOwner(adj: Adjacency, b: PlanBuilder, event: { readonly from: string; readonly to: string }, at: number): void {
  const from = resolveNode(adj, event.from, { query: 'reassignOwner', labels: ['Owner'] });
  const to = resolveNode(adj, event.to, { query: 'reassignOwner', labels: ['Owner'] });
  if (from === to) throw new IdGraphError('BAD_USER_INPUT', `reassignOwner needs two different owners, got ${JSON.stringify(event.from)} twice`);
  if (!isLiveAt(adj.nodeStart(to), adj.nodeEnd(to), at)) {
    throw new IdGraphError('BAD_USER_INPUT', `reassignOwner cannot move ownership to ${JSON.stringify(event.to)}: its status is ${b.statusOf(to)}, not ACTIVE`);
  }
  const owned = new Set(targets(adj, to, 'OWNS'));
  adj.forEachOut(from, (e) => {
    if (adj.edgeType(e) === 'OWNS') b.move(e, to, owned.has(adj.edgeTo(e)), event.from);
  });
}

/** True when a service other than `service`, live at `at`, also RUNS_AS `identity`. */
function runByAnotherLiveService(adj: Adjacency, identity: number, service: number, at: number): boolean {
  let found = false;
  adj.forEachIn(identity, (e) => {
    const other = adj.edgeFrom(e);
    if (adj.edgeType(e) === 'RUNS_AS' && other !== service && isLiveAt(adj.nodeStart(other), adj.nodeEnd(other), at)) found = true;
  });
  return found;
}

/** The distinct targets of `type` edges out of `node`. */
function targets(adj: Adjacency, node: number, type: EdgeType): number[] {
  const found = new Set<number>();
  adj.forEachOut(node, (e) => {
    if (adj.edgeType(e) === type) found.add(adj.edgeTo(e));
  });
  return [...found];
}

/** Every Role whose `service` is `serviceId`: a scan of the roles, since the projection does not index it. */
function rolesOf(adj: Adjacency, props: CascadeProps, serviceId: string): number[] {
  const roles: number[] = [];
  for (let n = 0; n < adj.nodeCount; n++) {
    if (adj.labelOf(n) === 'Role' && props.node(adj.idOf(n))?.['service'] === serviceId) roles.push(n);
  }
  return roles;
}

function sortedById(adj: Adjacency, nodes: readonly number[]): number[] {
  return [...nodes].sort((a, b) => {
    const x = adj.idOf(a);
    const y = adj.idOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
