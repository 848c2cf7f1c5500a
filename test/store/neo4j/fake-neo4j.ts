/**
 * A stand-in for a Neo4j server, for testing the adapter's own logic (grouping, paging, the audit chain,
 * rollback, conversions, sessions) where no server is available. It recognises each statement by its
 * exact text (every placeholder instance of every cypher/neo4j file) and does in memory what that
 * statement is written to do; it knows nothing about Cypher. So it proves the TypeScript side and the
 * contract between it and the statements (names, parameters, returned columns), not the Cypher itself:
 * that part is the lint test's, and the conformance suite's against a real server.
 */
import neo4j, { type Driver, type SessionConfig } from 'neo4j-driver';
import { EDGE_TYPES, NODE_LABELS } from '../../../src/model/vocabulary.js';
import { EDGE_TRIPLES, NEO4J_STATEMENTS } from '../../../src/store/neo4j/neo4j-statements.js';
import { rawStatement, statement, type StatementVars } from '../../../src/store/statements.js';

type Row = Record<string, unknown>;
interface Rel {
  type: string;
  fromLabel: string;
  from: string;
  toLabel: string;
  to: string;
  props: Row;
}
interface State {
  nodes: Map<string, Map<string, Row>>;
  rels: Rel[];
  events: Row[];
  head: { sequence: number; hash: string } | undefined;
}

/** One statement run: its name, placeholder values, and parameters. */
export interface RunRecord {
  readonly name: string;
  readonly vars: StatementVars;
  readonly params: Row;
}

export class FakeNeo4j {
  state: State = { nodes: new Map(NODE_LABELS.map((label) => [label, new Map()])), rels: [], events: [], head: undefined };
  readonly runs: RunRecord[] = [];
  readonly sessions: SessionConfig[] = [];
  /** Set to make the next `run` of this statement throw. */
  failOn: { name: string; error: Error } | undefined;
  readonly #known = knownStatements();

  driver(): Driver {
    const session = (config: SessionConfig) => {
      this.sessions.push(config);
      const execute = async <T>(work: (tx: unknown) => Promise<T>): Promise<T> => {
        const before = snapshot(this.state);
        try {
          return await work({ run: async (text: string, params: Row) => this.#run(text, params) });
        } catch (error) {
          this.state = before;
          throw error;
        }
      };
      return { executeRead: execute, executeWrite: execute, close: async () => undefined };
    };
    return { session, close: async () => undefined } as unknown as Driver;
  }

  #run(text: string, params: Row): { records: { toObject(): Row }[] } {
    const known = this.#known.get(text);
    if (known === undefined) throw new Error(`FakeNeo4j does not know this statement:\n${text}`);
    this.runs.push({ ...known, params });
    if (this.failOn?.name === known.name) throw this.failOn.error;
    const rows = this.#answer(known.name, known.vars, params);
    return { records: rows.map((row) => ({ toObject: () => row })) };
  }

  #answer(name: string, vars: StatementVars, p: Row): Row[] {
    const s = this.state;
    const nodes = (label = vars.label!) => s.nodes.get(label)!;
    const num = (value: unknown) => (neo4j.isInt(value) ? value.toNumber() : (value as number));
    const rels = () => s.rels.filter((r) => r.type === vars.type && r.fromLabel === vars.from && r.toLabel === vars.to);
    const edgeRow = (r: Rel) => ({ from: r.from, to: r.to, key: r.props['_key'], props: { ...r.props } });
    switch (name) {
      case 'lock_audit_head': {
        const last = s.events.at(-1);
        s.head ??= { sequence: last ? num(last['sequence']) : 0, hash: last ? String(last['hash']) : String(p['genesis']) };
        return [{ sequence: neo4j.int(s.head.sequence), hash: s.head.hash }];
      }
      case 'upsert_nodes':
        for (const row of p['rows'] as { id: string; props: Row }[]) nodes().set(row.id, { ...row.props, id: row.id, _seq: p['seq'] });
        return [{ written: neo4j.int((p['rows'] as unknown[]).length) }];
      case 'upsert_edges':
        return (p['rows'] as { i: number; from: string; to: string; key: string; props: Row }[]).flatMap((row) => {
          if (!nodes(vars.from).has(row.from) || !nodes(vars.to).has(row.to)) return [];
          const props = { ...row.props, _key: row.key, _seq: p['seq'] };
          const existing = rels().find((r) => r.from === row.from && r.to === row.to && r.props['_key'] === row.key);
          if (existing) existing.props = props;
          else s.rels.push({ type: vars.type!, fromLabel: vars.from!, from: row.from, toLabel: vars.to!, to: row.to, props });
          return [{ i: row.i }];
        });
      case 'append_audit': {
        const event = p['event'] as Row;
        if (s.events.some((e) => num(e['sequence']) === num(event['sequence']))) throw new Error('ConstraintValidationFailed');
        s.events.push({ ...event });
        s.head = { sequence: num(event['sequence']), hash: String(event['hash']) };
        return [{ sequence: event['sequence'] }];
      }
      case 'get_nodes':
        return [...nodes()].filter(([id]) => (p['ids'] as string[]).includes(id)).map(([id, props]) => ({ id, props: { ...props } }));
      case 'get_edges':
        return (p['keys'] as Row[]).flatMap((k) =>
          rels().filter((r) => r.from === k['from'] && r.to === k['to'] && r.props['_key'] === k['key']).map(edgeRow),
        );
      case 'scan_nodes':
        return [...nodes()]
          .filter(([id]) => id > String(p['after']))
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .slice(0, num(p['limit']))
          .map(([id, props]) => ({ id, props: { ...props } }));
      case 'scan_edges': {
        const sources = [...new Set(rels().map((r) => r.from))].filter((id) => id > String(p['after'])).sort();
        const page = new Set(sources.slice(0, num(p['limit'])));
        return rels()
          .filter((r) => page.has(r.from))
          .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
          .map(edgeRow);
      }
      case 'nodes_since':
        return [...nodes()].filter(([, props]) => num(props['_seq']) > num(p['after'])).map(([id, props]) => ({ id, props: { ...props } }));
      case 'edges_since':
        return rels().filter((r) => num(r.props['_seq']) > num(p['after'])).map(edgeRow);
      case 'audit_events':
        return s.events
          .filter((e) => num(e['sequence']) > num(p['after']))
          .sort((a, b) => num(a['sequence']) - num(b['sequence']))
          .slice(0, num(p['limit']))
          .map((event) => ({ event: { ...event } }));
      case 'last_audit':
        return s.events.slice(-1).map((event) => ({ event: { ...event } }));
      default:
        return [];
    }
  }
}

/** A copy deep enough for rollback: rows are replaced on write, never changed in place. */
function snapshot(state: State): State {
  return {
    nodes: new Map([...state.nodes].map(([label, byId]) => [label, new Map(byId)])),
    rels: state.rels.map((rel) => ({ ...rel })),
    events: [...state.events],
    head: state.head && { ...state.head },
  };
}

function knownStatements(): Map<string, { name: string; vars: StatementVars }> {
  const known = new Map<string, { name: string; vars: StatementVars }>();
  for (const name of Object.values(NEO4J_STATEMENTS).flat()) {
    const raw = rawStatement('neo4j', name);
    const varsList: StatementVars[] = raw.includes('{{from}}')
      ? EDGE_TRIPLES.map((triple) => ({ ...triple }))
      : raw.includes('{{type}}')
        ? EDGE_TYPES.map((type) => ({ type }))
        : raw.includes('{{label}}')
          ? NODE_LABELS.map((label) => ({ label }))
          : [{}];
    for (const vars of varsList) known.set(statement('neo4j', name, vars), { name, vars });
  }
  return known;
}
