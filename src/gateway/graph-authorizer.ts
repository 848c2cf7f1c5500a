/**
 * The gateway's decision, from the identity graph: what the caller (the token's subject, an Identity or a
 * Credential) reaches now, through every group, role inheritance and delegation, of the scopes and
 * policies an operation needs. One walk per operation (`paths/reach`, with entries only for what is
 * needed), over the projection at its current sequence: a revoked grant, a quarantined identity or an
 * expired credential stops working on the next request, not when a token expires.
 *
 * Names: a scope `payments:refunds:write` in `@requiresScopes` is the Scope `scope:payments:refunds:write`
 * (or a Scope whose id is the name itself); a policy in `@policy` is the id of a Role or Group that the
 * subject must hold (`role:payments-oncall`, `grp:sre`).
 */
import { isLiveAt } from '../model/liveness.js';
import { reach, toEntryJson, type Adjacency, type StepJson } from '../paths/index.js';
import type { Authorizer } from './authz-gateway.js';
import type { Denial, Grants } from './filter-operation.js';
import type { OperationRequirements } from './operation-requirements.js';

/** What the gateway knows of a request before it decides. */
export interface GatewayContext {
  readonly requestId: string;
  /** The caller's Authorization header, forwarded to every subgraph. */
  readonly authorization: string | undefined;
  /** The verified token's subject; undefined without a token. */
  readonly subject: string | undefined;
  /** The caller asked for the explain extension. */
  readonly explain: boolean;
}

/** The projection as the decision reads it: the adjacency, at a sequence. */
export type DecisionGraph = Adjacency & { readonly sequence: number };

/** Why a subject holds nothing at all. */
export type SubjectStatus = 'live' | 'anonymous' | 'unknown' | 'not-live' | 'not-a-subject';

/** One decision, as audited and measured. */
export interface GatewayDecision {
  readonly requestId: string;
  readonly subject: string | undefined;
  readonly status: SubjectStatus;
  readonly operationName: string | null;
  readonly sequence: number;
  readonly outcome: 'ALLOW' | 'DENY';
  /** Every scope and policy the operation needed. */
  readonly needed: readonly string[];
  /** The scopes and policies of the denied fields that the subject lacks. */
  readonly missing: readonly string[];
  /** The denied fields, as schema coordinates (`Mutation.refund`). */
  readonly denied: readonly string[];
  readonly ms: number;
}

export interface GraphAuthorizerOptions {
  /** The projection now; undefined while it is being built (the decision then fails closed). */
  readonly graph: () => DecisionGraph | undefined;
  /**
   * Brings the projection up to the store's last commit before each decision: needed when another process
   * writes (a shared Neo4j database); in one process the writer applies each commit itself.
   */
  readonly freshen?: (() => Promise<void>) | undefined;
  readonly maxDepth: number;
  /** The share of allowed decisions reported to `audit` (0 … 1); every denial is. */
  readonly sampleAllows: number;
  /** Every decision (metrics). */
  readonly observe?: ((decision: GatewayDecision) => void) | undefined;
  /** Every denial, and the sampled share of allows (the audit log). */
  readonly audit?: ((decision: GatewayDecision) => void) | undefined;
  readonly now?: (() => number) | undefined;
  readonly random?: (() => number) | undefined;
}

/** What one route of the explain extension shows. */
interface Held {
  readonly name: string;
  readonly node: string;
  readonly path: { readonly nodes: readonly string[]; readonly steps: readonly StepJson[] } | null;
}

interface Pending {
  readonly started: number;
  readonly sequence: number;
  readonly status: SubjectStatus;
  readonly held: readonly Held[];
}

const SUBJECT_LABELS = new Set(['Identity', 'Credential']);
const POLICY_LABELS = new Set(['Role', 'Group']);

/**
 * @example new GatewayServer({ authorizer: new GraphAuthorizer({ graph: () => projection, maxDepth: 16, sampleAllows: 0 }) })
 */
export class GraphAuthorizer implements Authorizer<GatewayContext> {
  private readonly pending = new WeakMap<GatewayContext, Pending>();
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: GraphAuthorizerOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  async grantsFor(context: GatewayContext, needed: OperationRequirements): Promise<Grants> {
    const started = performance.now();
    await this.options.freshen?.();
    const graph = this.options.graph();
    if (graph === undefined) throw new Error('the identity graph is not ready');
    const at = this.now();
    const status = statusOf(graph, context.subject, at);
    if (status !== 'live') {
      this.pending.set(context, { started, sequence: graph.sequence, status, held: [] });
      return { authenticated: false, scopes: new Set(), policies: new Set() };
    }
    const wanted = new Map<number, { name: string; kind: 'scope' | 'policy' }[]>();
    const want = (name: string, kind: 'scope' | 'policy', node: number | undefined): void => {
      if (node === undefined) return;
      const names = wanted.get(node);
      if (names === undefined) wanted.set(node, [{ name, kind }]);
      else names.push({ name, kind });
    };
    for (const name of needed.scopes) want(name, 'scope', scopeNode(graph, name));
    for (const name of needed.policies) {
      const node = graph.indexOf(name);
      want(name, 'policy', node !== undefined && POLICY_LABELS.has(graph.labelOf(node)) ? node : undefined);
    }
    const scopes = new Set<string>();
    const policies = new Set<string>();
    const held: Held[] = [];
    if (wanted.size > 0) {
      const result = reach(graph, context.subject!, { at, maxDepth: this.options.maxDepth }, { targets: (node) => wanted.has(node) });
      for (const entry of result.entries) {
        for (const { name, kind } of wanted.get(graph.indexOf(entry.target.id)!) ?? []) {
          (kind === 'scope' ? scopes : policies).add(name);
          if (context.explain) held.push({ name, node: entry.target.id, path: toEntryJson(entry).path });
        }
      }
    }
    this.pending.set(context, { started, sequence: graph.sequence, status, held });
    return { authenticated: true, scopes, policies };
  }

  decided(event: Parameters<NonNullable<Authorizer<GatewayContext>['decided']>>[0]): Record<string, unknown> | undefined {
    const { context, needed, grants, denials, operationName } = event;
    const pending = this.pending.get(context);
    const outcome = denials.length > 0 ? 'DENY' : 'ALLOW';
    if (this.options.observe !== undefined || this.options.audit !== undefined) {
      const decision: GatewayDecision = {
        requestId: context.requestId,
        subject: context.subject,
        status: pending?.status ?? 'live',
        operationName,
        sequence: pending?.sequence ?? -1,
        outcome,
        needed: [...needed.scopes, ...needed.policies].sort(),
        missing: missingOf(denials),
        denied: [...new Set(denials.map((d) => d.coordinate))].sort(),
        ms: pending === undefined ? 0 : performance.now() - pending.started,
      };
      this.options.observe?.(decision);
      if (outcome === 'DENY' || this.random() < this.options.sampleAllows) this.options.audit?.(decision);
    }
    if (!context.explain) return undefined;
    return {
      idgraph: {
        subject: context.subject ?? null,
        subjectStatus: pending?.status ?? 'live',
        sequence: pending?.sequence ?? null,
        authenticated: grants.authenticated,
        granted: pending?.held ?? [],
        missing: missingOf(denials),
        denied: denials.map((d) => ({ coordinate: d.coordinate, path: d.path })),
      },
    };
  }
}

/**
 * The Scope node a `@requiresScopes` name stands for: the Scope with that id, else `scope:<name>`.
 * @example scopeNode(projection, 'payments:refunds:write') // the index of scope:payments:refunds:write
 */
export function scopeNode(graph: Adjacency, name: string): number | undefined {
  for (const id of [name, `scope:${name}`]) {
    const node = graph.indexOf(id);
    if (node !== undefined && graph.labelOf(node) === 'Scope') return node;
  }
  return undefined;
}

function statusOf(graph: Adjacency, subject: string | undefined, at: number): SubjectStatus {
  if (subject === undefined) return 'anonymous';
  const node = graph.indexOf(subject);
  if (node === undefined) return 'unknown';
  const label = graph.labelOf(node);
  if (!SUBJECT_LABELS.has(label)) return 'not-a-subject';
  if (!isLiveAt(graph.nodeStart(node), graph.nodeEnd(node), at)) return 'not-live';
  return label === 'Identity' || authenticatesLiveIdentity(graph, node, at) ? 'live' : 'not-live';
}

/**
 * A credential is someone only through the identity it authenticates: a live key of a disabled identity,
 * or one linked to nobody, is not a caller (it would pass `@authenticated` while holding no scope).
 */
function authenticatesLiveIdentity(graph: Adjacency, credential: number, at: number): boolean {
  let found = false;
  graph.forEachOut(credential, (edge) => {
    if (found || graph.edgeType(edge) !== 'AUTHENTICATES' || !isLiveAt(graph.edgeStart(edge), graph.edgeEnd(edge), at)) return;
    const identity = graph.edgeTo(edge);
    found = graph.labelOf(identity) === 'Identity' && isLiveAt(graph.nodeStart(identity), graph.nodeEnd(identity), at);
  });
  return found;
}

function missingOf(denials: readonly Denial[]): string[] {
  const names = new Set<string>();
  for (const d of denials) for (const group of [...d.missing.scopes, ...d.missing.policies]) for (const name of group) names.add(name);
  return [...names].sort();
}
