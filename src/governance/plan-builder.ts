/**
 * Collects the changes of one cascade: each node, credential and grant at most once (the first rule to end
 * it names the reason, and `planCascade` runs its rules in a fixed order), only what has not already ended,
 * and hands them back sorted, so that a plan never depends on the order in which an adjacency lists edges.
 */
import type { Props } from '../model/properties.js';
import { edgeKeyString, type EdgeKey, type EdgeRecord } from '../model/records.js';
import type { EdgeType, NodeLabel } from '../model/vocabulary.js';
import type { Adjacency } from '../paths/adjacency.js';

/** Node and edge properties (what the projection does not hold), looked up synchronously. */
export interface CascadeProps {
  /** A node's properties by id; undefined when unknown. */
  readonly node: (id: string) => Props | undefined;
  /** An edge's properties by type, from, to and key; undefined when unknown. */
  readonly edge: (edge: EdgeKey) => Props | undefined;
}

/** A change to a stored node: merge `patch` over its props. */
export interface NodePatch {
  readonly label: NodeLabel;
  readonly id: string;
  readonly patch: Props;
}

/** A change to a stored edge: merge `patch` over its props. */
export interface EdgePatch extends EdgeKey {
  readonly fromLabel: NodeLabel;
  readonly toLabel: NodeLabel;
  readonly patch: Props;
}

/** One line of the readable list of what a cascade ends; `cause` is the node whose end brings it. */
export type CascadeEntry =
  | { readonly kind: 'node'; readonly id: string; readonly label: NodeLabel; readonly reason: string; readonly cause: string }
  | { readonly kind: 'credential'; readonly id: string; readonly reason: string; readonly cause: string }
  | { readonly kind: 'grant' | 'ownership'; readonly edge: EdgeKey; readonly reason: string; readonly cause: string };

/** What a builder hands back; `planCascade` adds the event and time. */
export interface CollectedChanges {
  readonly nodes: NodePatch[];
  readonly edges: EdgePatch[];
  readonly added: EdgeRecord[];
  readonly revoked: CascadeEntry[];
}

/** Edge types whose props carry status and revocation (`model/properties.ts`): grants and role definitions. */
export const REVOCABLE_EDGE_TYPES: ReadonlySet<EdgeType> = new Set<EdgeType>(['MEMBER_OF', 'HAS_ROLE', 'CAN_ASSUME', 'INHERITS', 'GRANTS']);

const KIND_ORDER = { node: 0, credential: 1, grant: 2, ownership: 3 } as const;

/** Builds one plan; not reusable. */
export class PlanBuilder {
  private readonly nodes = new Map<string, NodePatch>();
  private readonly edges = new Map<string, EdgePatch>();
  private readonly added = new Map<string, EdgeRecord>();
  private readonly revoked: CascadeEntry[] = [];
  private readonly iso: string;

  constructor(
    private readonly adj: Adjacency,
    private readonly props: CascadeProps,
    private readonly at: number,
    private readonly by: string | undefined,
  ) {
    this.iso = new Date(at).toISOString();
  }

  /** The node's `status`, ACTIVE when it has none (DESIGN: no status means active). */
  statusOf(node: number): string {
    const status = this.props.node(this.adj.idOf(node))?.['status'];
    return typeof status === 'string' ? status : 'ACTIVE';
  }

  /** Sets the node's status unless it already has it; returns whether it changed. */
  setStatus(node: number, status: string, reason: string, cause: string): boolean {
    const id = this.adj.idOf(node);
    if (this.statusOf(node) === status || this.nodes.has(id)) return false;
    const label = this.adj.labelOf(node);
    this.nodes.set(id, { label, id, patch: { status, updatedAt: this.iso } });
    this.revoked.push({ kind: 'node', id, label, reason, cause });
    return true;
  }

  /** Revokes a credential that has not already ended (revoked or expired at or before `at`). */
  revokeCredential(node: number, reason: string, cause: string): void {
    const id = this.adj.idOf(node);
    if (this.nodes.has(id) || !this.credentialOpen(node)) return;
    this.nodes.set(id, { label: 'Credential', id, patch: { revokedAt: this.iso, updatedAt: this.iso } });
    this.revoked.push({ kind: 'credential', id, reason, cause });
  }

  /**
   * Revokes a grant or role definition that has not already ended. Open means live now or able to become
   * live later: ACTIVE or PENDING, not expired or revoked at or before `at`, granted now or in the future.
   * A PENDING request is closed too, or approving it after the cascade would bring back what it ended.
   */
  revokeEdge(edge: number, reason: string, cause: string): void {
    if (!REVOCABLE_EDGE_TYPES.has(this.adj.edgeType(edge))) return;
    const key = this.revokeOpen(edge);
    if (key !== undefined) this.revoked.push({ kind: 'grant', edge: key, reason, cause });
  }

  /**
   * Moves an ownership: the OWNS `edge` is revoked (never deleted: the graph keeps who owned what until
   * when), and, unless `from` already owns the target, an OWNS edge from `from` (same key) is added.
   */
  move(edge: number, from: number, alreadyThere: boolean, cause: string): void {
    const key = this.revokeOpen(edge);
    if (key === undefined) return;
    this.revoked.push({ kind: 'ownership', edge: key, reason: `owner reassigned to ${this.adj.idOf(from)}`, cause });
    if (alreadyThere) return;
    const moved: EdgeRecord = {
      type: key.type,
      from: this.adj.idOf(from),
      to: key.to,
      fromLabel: this.adj.labelOf(from),
      toLabel: this.adj.labelOf(this.adj.edgeTo(edge)),
      key: key.key,
      // The key travels as `props.id`, so that the new edge is found by the same key as the old one.
      props: { ...(key.key === '' ? {} : { id: key.key }), status: 'ACTIVE', grantedAt: this.iso, createdAt: this.iso, updatedAt: this.iso },
    };
    this.added.set(edgeKeyString(moved), moved);
  }

  /** Plans the revocation of `edge` if it is still open and not planned yet; its key then, else undefined. */
  private revokeOpen(edge: number): EdgeKey | undefined {
    const key = this.keyOf(edge);
    const k = edgeKeyString(key);
    if (this.edges.has(k) || !this.edgeOpen(edge, key)) return undefined;
    const patch: Record<string, unknown> = { status: 'REVOKED', revokedAt: this.iso, updatedAt: this.iso };
    if (this.by !== undefined) patch['revokedBy'] = this.by;
    this.edges.set(k, { ...key, ...this.labelsOf(edge), patch });
    return key;
  }

  /** The identity of `edge`, as the store names it. */
  keyOf(edge: number): EdgeKey {
    const adj = this.adj;
    return { type: adj.edgeType(edge), from: adj.idOf(adj.edgeFrom(edge)), to: adj.idOf(adj.edgeTo(edge)), key: adj.edgeKey(edge) };
  }

  /** Everything collected, each list in a fixed order. */
  collect(): CollectedChanges {
    const byEdge = (a: EdgeKey, b: EdgeKey): number =>
      compare(a.from, b.from) || compare(a.to, b.to) || compare(a.type, b.type) || compare(a.key, b.key);
    return {
      nodes: [...this.nodes.values()].sort((a, b) => compare(a.id, b.id)),
      edges: [...this.edges.values()].sort(byEdge),
      added: [...this.added.values()].sort(byEdge),
      revoked: [...this.revoked].sort(
        (a, b) =>
          KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
          ('edge' in a && 'edge' in b ? byEdge(a.edge, b.edge) : 'id' in a && 'id' in b ? compare(a.id, b.id) : 0),
      ),
    };
  }

  private labelsOf(edge: number): { fromLabel: NodeLabel; toLabel: NodeLabel } {
    return { fromLabel: this.adj.labelOf(this.adj.edgeFrom(edge)), toLabel: this.adj.labelOf(this.adj.edgeTo(edge)) };
  }

  private credentialOpen(node: number): boolean {
    const props = this.props.node(this.adj.idOf(node));
    // Without props, the projection's interval is all there is: open when it ends after `at`.
    if (props === undefined) return this.adj.nodeEnd(node) > this.at && this.adj.nodeStart(node) < this.adj.nodeEnd(node);
    return !endsBy(props['revokedAt'], this.at) && !endsBy(props['expiresAt'], this.at);
  }

  private edgeOpen(edge: number, key: EdgeKey): boolean {
    const props = this.props.edge(key);
    // The projection cannot tell PENDING from REVOKED (neither is live), so without props only an edge
    // whose interval ends after `at` counts as open.
    if (props === undefined) return this.adj.edgeEnd(edge) > this.at && this.adj.edgeStart(edge) < this.adj.edgeEnd(edge);
    return props['status'] !== 'REVOKED' && !endsBy(props['expiresAt'], this.at) && !endsBy(props['revokedAt'], this.at);
  }
}

/** True when `time` is an ISO time at or before `at` (an unparseable time is ignored, as liveness does). */
function endsBy(time: unknown, at: number): boolean {
  if (typeof time !== 'string') return false;
  const t = Date.parse(time);
  return !Number.isNaN(t) && t <= at;
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
