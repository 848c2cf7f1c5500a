/**
 * Named Cypher statements (DESIGN.md: Cypher lives in `cypher/<dialect>/<name>.cypher`, never inline).
 * A statement may hold `{{label}}`, `{{type}}`, `{{from}}` or `{{to}}` placeholders, filled only with
 * names from the closed vocabulary of `model/vocabulary.ts`, never with user input, because Cypher cannot
 * take a label or relationship type as a parameter; and `{{file}}`, for the bulk loads' own spool files,
 * whose path Kuzu's `LOAD FROM` takes only as a literal (an absolute path of plain characters).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IdGraphError, invariant } from '../model/errors.js';
import { isEdgeType, isNodeLabel } from '../model/vocabulary.js';

export type Dialect = 'kuzu' | 'neo4j';

/** Placeholders a statement may use, and the vocabulary each must come from. */
export interface StatementVars {
  readonly label?: string;
  readonly type?: string;
  readonly from?: string;
  readonly to?: string;
  readonly file?: string;
}

/** The package's `cypher/` folder: the nearest one above this file, whether it runs from `src/` or `dist/`. */
export const CYPHER_DIR = findUp(dirname(fileURLToPath(import.meta.url)), 'cypher');

const cache = new Map<string, string>();
/** A spool file path as the adapters make them: absolute, no quotes, spaces or other specials. */
const SPOOL_PATH = /^\/[A-Za-z0-9_./-]+$/;

/**
 * The text of `cypher/<dialect>/<name>.cypher` with its placeholders filled.
 * @throws IdGraphError INTERNAL when the file is missing or a placeholder is left unfilled.
 * @example statement('kuzu', 'upsert_nodes', { label: 'Group' })
 */
export function statement(dialect: Dialect, name: string, vars: StatementVars = {}): string {
  const text = rawStatement(dialect, name);
  const filled = text.replace(/\{\{(label|type|from|to|file)\}\}/g, (_, key: keyof StatementVars) => {
    const value = vars[key];
    invariant(value !== undefined, `statement ${dialect}/${name} needs {{${key}}}`);
    const known = key === 'file' ? SPOOL_PATH.test(value) : key === 'type' ? isEdgeType(value) : isNodeLabel(value);
    invariant(known, `statement ${dialect}/${name}: {{${key}}} = ${JSON.stringify(value)} is not in the vocabulary`);
    return value;
  });
  return filled;
}

/** The statement file as written, placeholders included. */
export function rawStatement(dialect: Dialect, name: string): string {
  const path = join(CYPHER_DIR, dialect, `${name}.cypher`);
  let text = cache.get(path);
  if (text === undefined) {
    try {
      text = readFileSync(path, 'utf8').trim();
    } catch (error) {
      throw new IdGraphError('INTERNAL', `Missing Cypher statement ${dialect}/${name}.cypher`, { cause: error });
    }
    cache.set(path, text);
  }
  return text;
}

/** The statement names of a dialect: the `.cypher` files in its folder. */
export function statementNames(dialect: Dialect): string[] {
  return readdirSync(join(CYPHER_DIR, dialect))
    .filter((file) => file.endsWith('.cypher'))
    .map((file) => file.slice(0, -'.cypher'.length))
    .sort();
}

function findUp(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new IdGraphError('INTERNAL', `No ${name}/ folder above ${from}`);
  }
}
