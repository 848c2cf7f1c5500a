/**
 * A small fluent builder of fixture estates: nodes and edges as the store port and the interchange format
 * carry them. Every label and edge type has a method; required properties get defaults (a name from the
 * id, a kind, an origin, a level) and every property can be overridden.
 *
 * @example
 * const { nodes, edges } = estate()
 *   .identity('sa:ci').role('role:deploy').scope('scope:x', { level: 'ADMIN' })
 *   .hasRole('sa:ci', 'role:deploy', { expiresAt: '2026-12-31T00:00:00Z' }).grants('role:deploy', 'scope:x')
 *   .build();
 */
import { EDGE_PROPS, NODE_PROPS } from '../../src/model/properties.js';
import { edgeKeyOf, type EdgeRecord, type NodeRecord } from '../../src/model/records.js';
import { allowsEndpoints, type EdgeType, type NodeLabel } from '../../src/model/vocabulary.js';

/** A fixed origin for fixture times: 2026-01-01T00:00:00Z in epoch ms. */
export const T0 = Date.parse('2026-01-01T00:00:00Z');

/** T0 plus `n` days (may be negative or fractional), as epoch ms. */
export function dayMs(n: number): number {
  return T0 + n * 86_400_000;
}

/** T0 plus `n` days as an ISO-8601 string, the way props carry times. */
export function day(n: number): string {
  return new Date(dayMs(n)).toISOString();
}

/** Properties as a fixture writes them: any JSON value, `undefined` to drop a default. */
export type FixtureProps = Record<string, unknown>;

export interface Estate {
  readonly nodes: NodeRecord[];
  readonly edges: EdgeRecord[];
}

export interface EstateOptions {
  /** Check every node and edge against the schemas and label pairs at `build()` (default true). */
  readonly validate?: boolean;
}

const NODE_DEFAULTS: Record<NodeLabel, FixtureProps> = {
  Identity: { kind: 'SERVICE_ACCOUNT' },
  Credential: { kind: 'API_KEY' },
  Group: {},
  Role: { origin: 'CENTRAL' },
  Scope: { level: 'READ' },
  Service: {},
  Owner: { kind: 'TEAM' },
  Vendor: {},
};

/** Starts an empty estate. */
export function estate(options: EstateOptions = {}): EstateBuilder {
  return new EstateBuilder(options);
}

export class EstateBuilder {
  private readonly nodeList: NodeRecord[] = [];
  private readonly edgeSpecs: { type: EdgeType; from: string; to: string; props: FixtureProps }[] = [];

  constructor(private readonly options: EstateOptions) {}

  /** Adds (or replaces) a node of any label. */
  node(label: NodeLabel, id: string, props: FixtureProps = {}): this {
    const record: NodeRecord = { label, id, props: clean({ name: id, ...NODE_DEFAULTS[label], ...props }) };
    const at = this.nodeList.findIndex((n) => n.id === id);
    if (at >= 0) this.nodeList[at] = record;
    else this.nodeList.push(record);
    return this;
  }

  identity(id: string, props?: FixtureProps): this { return this.node('Identity', id, props); }
  credential(id: string, props?: FixtureProps): this { return this.node('Credential', id, props); }
  group(id: string, props?: FixtureProps): this { return this.node('Group', id, props); }
  role(id: string, props?: FixtureProps): this { return this.node('Role', id, props); }
  scope(id: string, props?: FixtureProps): this { return this.node('Scope', id, props); }
  service(id: string, props?: FixtureProps): this { return this.node('Service', id, props); }
  owner(id: string, props?: FixtureProps): this { return this.node('Owner', id, props); }
  vendor(id: string, props?: FixtureProps): this { return this.node('Vendor', id, props); }

  /** Adds an edge of any type; endpoint labels are looked up at `build()`. */
  edge(type: EdgeType, from: string, to: string, props: FixtureProps = {}): this {
    this.edgeSpecs.push({ type, from, to, props: clean(props) });
    return this;
  }

  owns(from: string, to: string, props?: FixtureProps): this { return this.edge('OWNS', from, to, props); }
  operates(from: string, to: string, props?: FixtureProps): this { return this.edge('OPERATES', from, to, props); }
  authenticates(from: string, to: string, props?: FixtureProps): this { return this.edge('AUTHENTICATES', from, to, props); }
  memberOf(from: string, to: string, props?: FixtureProps): this { return this.edge('MEMBER_OF', from, to, props); }
  hasRole(from: string, to: string, props?: FixtureProps): this { return this.edge('HAS_ROLE', from, to, props); }
  inherits(from: string, to: string, props?: FixtureProps): this { return this.edge('INHERITS', from, to, props); }
  grants(from: string, to: string, props?: FixtureProps): this { return this.edge('GRANTS', from, to, props); }
  on(from: string, to: string, props?: FixtureProps): this { return this.edge('ON', from, to, props); }
  canAssume(from: string, to: string, props?: FixtureProps): this { return this.edge('CAN_ASSUME', from, to, props); }
  runsAs(from: string, to: string, props?: FixtureProps): this { return this.edge('RUNS_AS', from, to, props); }
  holds(from: string, to: string, props?: FixtureProps): this { return this.edge('HOLDS', from, to, props); }

  /**
   * The records, nodes in the order added, edges in the order added.
   * @throws Error naming the bad node or edge when validation is on and a record breaks the schema.
   */
  build(): Estate {
    const labels = new Map(this.nodeList.map((n) => [n.id, n.label]));
    const validate = this.options.validate ?? true;
    const problems: string[] = [];
    if (validate) {
      for (const n of this.nodeList) {
        const parsed = NODE_PROPS[n.label].safeParse(n.props);
        if (!parsed.success) problems.push(`node ${n.id}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      }
    }
    const edges = this.edgeSpecs.map(({ type, from, to, props }): EdgeRecord => {
      const fromLabel = labels.get(from);
      const toLabel = labels.get(to);
      if (!fromLabel || !toLabel) throw new Error(`edge ${type} ${from}→${to}: no node ${fromLabel ? to : from}`);
      if (validate) {
        if (!allowsEndpoints(type, fromLabel, toLabel)) problems.push(`edge ${type} ${from}→${to}: ${fromLabel}→${toLabel} not allowed`);
        const parsed = EDGE_PROPS[type].safeParse(props);
        if (!parsed.success) problems.push(`edge ${type} ${from}→${to}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      }
      return { type, from, to, fromLabel, toLabel, key: edgeKeyOf(props), props };
    });
    if (problems.length > 0) throw new Error(`invalid fixture estate:\n${problems.join('\n')}`);
    return { nodes: [...this.nodeList], edges };
  }
}

/** Drops properties set to undefined, so that a fixture can remove a default. */
function clean(props: FixtureProps): FixtureProps {
  return Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined));
}
