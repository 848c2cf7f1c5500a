/**
 * A stand-in for a Neo4j server, for testing the adapter's own logic (grouping, paging, the audit chain,
 * rollback, conversions, sessions) where no server is available. It recognises each statement by its
 * exact text (every placeholder instance of every cypher/neo4j file) and does in memory what that
 * statement is written to do; it knows nothing about Cypher. So it proves the TypeScript side and the
 * contract between it and the statements (names, parameters, returned columns), not the Cypher itself:
 * that part is the lint test's, and the conformance suite's against a real server.
 *
 * Like the driver, it reruns a transaction function after a retryable error (and rolls the failed
 * attempt back first, unless that attempt committed: see `loseAck`). Schema statements, which the
 * adapter sends through `driver.executeQuery`, keep a set of constraint and index names.
 */
import neo4j, { isRetryableError, type Driver, type SessionConfig } from 'neo4j-driver';
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
  /** Constraint names, and index names (a constraint's backing index included). */
  constraints: Set<string>;
  indexes: Set<string>;
}

/** Attempts of one transaction function, as the driver makes them within its retry time. */
export const FAKE_MAX_ATTEMPTS = 3;

/** One statement run: its name, placeholder values, and parameters. */
export interface RunRecord {
  readonly name: string;
  readonly vars: StatementVars;
  readonly params: Row;
}

export class FakeNeo4j {
  state: State = {
    nodes: new Map(NODE_LABELS.map((label) => [label, new Map()])),
    rels: [],
    events: [],
    head: undefined,
    constraints: new Set(),
    indexes: new Set(),
  };
  readonly runs: RunRecord[] = [];
  readonly sessions: SessionConfig[] = [];
  /** Set to make every `run` of this statement throw. */
  failOn: { name: string; error: Error } | undefined;
  /**
   * Set to make the next transaction function that succeeds throw this error after its commit, as when
   * the commit's acknowledgement is lost: the commit stays, and a retryable error makes it run again.
   */
  loseAck: Error | undefined;
  /** Called before each statement is answered: a test lands another commit there (see `copyState`). */
  beforeRun: ((run: RunRecord) => void) | undefined;
  readonly #known = knownStatements();

  driver(): Driver {
    const session = (config: SessionConfig) => {
      this.sessions.push(config);
      const execute = async <T>(work: (tx: unknown) => Promise<T>): Promise<T> => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await this.#attempt(work);
          } catch (error) {
            if (!isRetryableError(error) || attempt >= FAKE_MAX_ATTEMPTS) throw error;
          }
        }
      };
      return { executeRead: execute, executeWrite: execute, close: async () => undefined };
    };
    const executeQuery = async (text: string, params: Row) => ({ records: this.#run(text, params).records, keys: [], summary: {} });
    return { session, executeQuery, close: async () => undefined } as unknown as Driver;
  }

  /** A copy of the data, to swap in later with `state = …` (rows are replaced on write, never changed). */
  copyState(): State {
    return snapshot(this.state);
  }

  async #attempt<T>(work: (tx: unknown) => Promise<T>): Promise<T> {
    const before = snapshot(this.state);
    let value: T;
    try {
      value = await work({ run: async (text: string, params: Row) => this.#run(text, params) });
    } catch (error) {
      this.state = before;
      throw error;
    }
    const lost = this.loseAck;
    this.loseAck = undefined;
    if (lost !== undefined) throw lost;
    return value;
  }

  #run(text: string, params: Row): { records: { toObject(): Row; get(key: string): unknown }[] } {
    const known = this.#known.get(text);
    if (known === undefined) throw new Error(`FakeNeo4j does not know this statement:\n${text}`);
    const run = { ...known, params };
    this.runs.push(run);
    this.beforeRun?.(run);
    if (this.failOn?.name === known.name) throw this.failOn.error;
    const rows = this.#answer(known.name, known.vars, params, text);
    return { records: rows.map((row) => ({ toObject: () => row, get: (key: string) => row[key] })) };
  }

  #answer(name: string, vars: StatementVars, p: Row, text: string): Row[] {
    const s = this.state;
    const nodes = (label = vars.label!) => s.nodes.get(label)!;
    const num = (value: unknown) => (neo4j.isInt(value) ? value.toNumber() : (value as number));
    const rels = () => s.rels.filter((r) => r.type === vars.type && r.fromLabel === vars.from && r.toLabel === vars.to);
    const edgeRow = (r: Rel) => ({ from: r.from, to: r.to, key: r.props['_key'], props: { ...r.props } });
    const inRange = (seq: unknown) => num(seq) > num(p['after']) && num(seq) <= num(p['last']);
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
        return [...nodes()].filter(([, props]) => inRange(props['_seq'])).map(([id, props]) => ({ id, props: { ...props } }));
      case 'edges_since':
        return rels().filter((r) => inRange(r.props['_seq'])).map(edgeRow);
      case 'find_audit_by_write_id':
        return s.events.filter((e) => e['writeId'] === p['writeId']).slice(0, 1).map((event) => ({ event: { ...event } }));
      case 'show_constraints':
        return [...s.constraints].map((constraint) => ({ name: constraint }));
      case 'show_indexes':
        return [...s.indexes].map((index) => ({ name: index }));
      case 'audit_events':
        return s.events
          .filter((e) => num(e['sequence']) > num(p['after']))
          .sort((a, b) => num(a['sequence']) - num(b['sequence']))
          .slice(0, num(p['limit']))
          .map((event) => ({ event: { ...event } }));
      case 'last_audit':
        return s.events.slice(-1).map((event) => ({ event: { ...event } }));
      default: {
        const ddl = /^CREATE (CONSTRAINT|INDEX) (\w+) IF NOT EXISTS/m.exec(text);
        if (ddl !== null) {
          if (ddl[1] === 'CONSTRAINT') s.constraints.add(ddl[2]!);
          s.indexes.add(ddl[2]!);
        }
        return [];
      }
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
    constraints: new Set(state.constraints),
    indexes: new Set(state.indexes),
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
