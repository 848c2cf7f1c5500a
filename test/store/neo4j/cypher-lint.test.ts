/**
 * Every statement in cypher/neo4j, with every value its placeholders can take, checked by Neo4j's own
 * Cypher front-end (`@neo4j-cypher/language-support`) against the schema we declare: our labels,
 * relationship types, property keys, parameters, and Neo4j's built-in functions only (so an APOC call or a
 * misspelt function is an error). Property keys are checked here by walking the package's parse tree
 * (the package does not check them).
 *
 * Cost: the package's semantic analysis (Neo4j's compiled front-end) takes ~50 ms a statement. It cannot
 * depend on which label or type fills a placeholder (it has no schema), so it runs once per statement and
 * Cypher version; the parser-level checks (syntax, the names used) run on every instance, once per text.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DbSchema, Neo4jFunction, SyntaxDiagnostic } from '@neo4j-cypher/language-support';
import { describe, expect, it } from 'vitest';
import { EDGE_PROPS, NODE_PROPS } from '../../../src/model/properties.js';
import { EDGE_TYPES, NODE_LABELS } from '../../../src/model/vocabulary.js';
import { EDGE_TRIPLES, NEO4J_STATEMENTS } from '../../../src/store/neo4j/neo4j-statements.js';
import { rawStatement, statement, statementNames, type StatementVars } from '../../../src/store/statements.js';

// The package's ESM build has extensionless imports that Node cannot resolve (vitest can, by compiling
// its ~200 files, which takes longer than all the checks); its CommonJS bundle is one file.
const cypher = createRequire(import.meta.url)('@neo4j-cypher/language-support') as typeof import('@neo4j-cypher/language-support');

const AUDIT_KEYS = ['sequence', 'at', 'actor', 'action', 'targets', 'decision', 'policyIds', 'reason', 'requestId', 'prevHash', 'hash'];
const PROPERTY_KEYS = new Set([
  ...Object.values(NODE_PROPS).flatMap((schema) => Object.keys(schema.shape)),
  ...Object.values(EDGE_PROPS).flatMap((schema) => Object.keys(schema.shape)),
  'id',
  '_seq',
  '_key',
  ...AUDIT_KEYS,
  'writeId',
  'lockedAt',
  // Fields of the parameters' rows (`row.props`, `k.from`): map keys, which the parser cannot tell apart.
  'i',
  'from',
  'to',
  'key',
  'props',
]);

/** Neo4j's built-in functions, from the server catalogue the package records; no plugins (APOC, GDS). */
function builtInFunctions(): DbSchema['functions'] {
  const recorded = cypher.testData.mockSchema.functions ?? {};
  return Object.fromEntries(
    Object.entries(recorded).map(([version, registry]) => [
      version,
      Object.fromEntries(Object.entries(registry as Record<string, Neo4jFunction>).filter(([, fn]) => fn.isBuiltIn)),
    ]),
  );
}

const SCHEMA: DbSchema = {
  labels: [...NODE_LABELS, 'AuditEvent', 'AuditHead'],
  relationshipTypes: [...EDGE_TYPES],
  propertyKeys: [...PROPERTY_KEYS],
  parameters: { rows: [], seq: 1, genesis: '', event: {}, ids: [], keys: [], after: 0, last: 0, limit: 1, writeId: '' },
  functions: builtInFunctions(),
};

const VERSIONS = ['CYPHER 5', 'CYPHER 25'] as const;
const BUILT_IN_NAMES = new Set(Object.values(SCHEMA.functions ?? {}).flatMap((registry) => Object.keys(registry ?? {}).map((name) => name.toLowerCase())));

/** Every diagnostic of the full check (parser and semantic analysis), errors and warnings, printable. */
function fullCheck(text: string, version: (typeof VERSIONS)[number]): string[] {
  return cypher.lintCypherQuery(text, { ...SCHEMA, defaultLanguage: version }).map((d) => show(d, version));
}

/**
 * The parser-level checks, which do depend on the names filled in: syntax (a label that is a keyword,
 * like the type `ON`, must still parse), and that every label, type, parameter, function and property
 * key is declared.
 */
function nameCheck(text: string): string[] {
  const found: string[] = [];
  for (const parsed of cypher.parserWrapper.parse(text).statementsParsing) {
    found.push(...parsed.syntaxErrors.map((d) => show(d, 'parser')), ...antlrErrors(parsed.ctx));
    for (const name of parsed.collectedLabelOrRelTypes) {
      const bare = name.labelText.replace(/^`|`$/g, '');
      const known = SCHEMA.labels!.includes(bare) || SCHEMA.relationshipTypes!.includes(bare);
      if (!known && !name.couldCreateNewLabel) found.push(`undeclared ${name.labelType} "${bare}"`);
    }
    for (const parameter of parsed.collectedParameters) {
      if (SCHEMA.parameters![parameter.name] === undefined) found.push(`undeclared parameter $${parameter.name}`);
    }
    for (const fn of parsed.collectedFunctions) {
      if (!BUILT_IN_NAMES.has(fn.name.toLowerCase())) found.push(`not a built-in function: ${fn.name}`);
    }
  }
  for (const key of propertyKeysOf(text)) {
    if (!PROPERTY_KEYS.has(key)) found.push(`undeclared property key "${key}"`);
  }
  return found;
}

/**
 * The ANTLR parser's own syntax errors. The package reports syntax errors through Neo4j's front-end (in
 * the full check) and keeps the ANTLR listener for a few special cases, so they are read off the tree:
 * a rule that failed carries `exception`, a token the parser skipped is an error node.
 */
function antlrErrors(tree: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    const n = node as { exception?: { offendingToken?: { text?: string } } | null; isErrorNode?: () => boolean; getText(): string };
    if (n.exception) found.push(`parser error: unexpected "${n.exception.offendingToken?.text ?? n.getText()}"`);
    if (typeof n.isErrorNode === 'function' && n.isErrorNode()) found.push(`parser error: skipped "${n.getText()}"`);
    for (const child of (node as { children?: unknown[] | null }).children ?? []) walk(child);
  };
  walk(tree);
  return found;
}

function show(d: SyntaxDiagnostic, source: string): string {
  const kind = d.severity === 1 ? 'error' : 'warning';
  return `${source} ${kind} at ${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`;
}

function propertyKeysOf(text: string): string[] {
  const keys: string[] = [];
  const walk = (node: unknown): void => {
    if (node instanceof cypher.PropertyKeyNameContext) keys.push((node as unknown as { getText(): string }).getText().replace(/^`|`$/g, ''));
    for (const child of (node as { children?: unknown[] | null }).children ?? []) walk(child);
  };
  for (const parsed of cypher.parserWrapper.parse(text).statementsParsing) walk(parsed.ctx);
  return keys;
}

/** Each value a statement's placeholders can take: every allowed (type, from, to), type, or label. */
function instancesOf(name: string): StatementVars[] {
  const raw = rawStatement('neo4j', name);
  if (raw.includes('{{from}}') || raw.includes('{{to}}')) return EDGE_TRIPLES.map((triple) => ({ ...triple }));
  if (raw.includes('{{type}}')) return EDGE_TYPES.map((type) => ({ type }));
  if (raw.includes('{{label}}')) return NODE_LABELS.map((label) => ({ label }));
  return [{}];
}

/** Schema, bulk-file and extension statements are each dialect's own; the rest must exist in both. */
function isDialectSpecific(text: string): boolean {
  // A statement that only one adapter's write path needs says so in its first comment.
  if (/^\/\/ \(Kuzu only\)/.test(text)) return true;
  const code = text.replace(/\/\/[^\n]*\n?/g, '').trim();
  return /^(CREATE\s+(NODE|REL)\s+TABLE|CREATE\s+(CONSTRAINT|INDEX)|DROP|ALTER|INSTALL|LOAD|COPY)\b/i.test(code);
}

const NAMES = statementNames('neo4j');

describe('cypher/neo4j', () => {
  it('holds exactly the statements the adapter names', () => {
    expect(NAMES).toEqual(Object.values(NEO4J_STATEMENTS).flat().sort());
  });

  for (const name of NAMES) {
    it(`${name}: no error or warning from Neo4j's Cypher front-end, for every placeholder value`, () => {
      const texts = [...new Set(instancesOf(name).map((vars) => statement('neo4j', name, vars)))];
      const found = [
        ...VERSIONS.flatMap((version) => fullCheck(texts[0]!, version).map((problem) => `${problem}\n  in: ${texts[0]}`)),
        ...texts.flatMap((text) => nameCheck(text).map((problem) => `${problem}\n  in: ${text}`)),
      ];
      expect(found, found.join('\n')).toEqual([]);
    });
  }
});

/** A deliberately broken statement from fixtures/ (kept out of .ts files like every statement). */
function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}.cypher`, import.meta.url), 'utf8').trim();
}

describe('the Cypher check itself', () => {
  it('reports a syntax error, in both the full check and the name check', () => {
    expect(fullCheck(fixture('syntax_typo'), 'CYPHER 5').join('\n')).toMatch(/error at 1:20: Invalid input 'RETRN'/);
    expect(nameCheck(fixture('syntax_typo')).join('\n')).toMatch(/parser error: (unexpected|skipped) "RETRN"/);
    expect(nameCheck(fixture('syntax_unclosed')).join('\n')).toMatch(/parser error: unexpected "RETURN"/);
  });

  it('reports an undefined variable and a wrong function call (semantic analysis)', () => {
    const found = fullCheck(fixture('semantic_errors'), 'CYPHER 25').join('\n');
    expect(found).toMatch(/error .*Variable `m` not defined/);
    expect(found).toMatch(/error .*Insufficient parameters for function 'coalesce'/);
  });

  it('reports an undeclared label, type, parameter, function and property key (name check)', () => {
    const found = nameCheck(fixture('undeclared_names')).join('\n');
    expect(found).toMatch(/undeclared Label "Identiy"/);
    expect(found).toMatch(/undeclared Relationship type "OWNZ"/);
    expect(found).toMatch(/undeclared parameter \$nmae/);
    expect(found).toMatch(/not a built-in function: apoc.text.join/);
    expect(found).toMatch(/undeclared property key "nmae"/);
  });
});

describe('cypher/neo4j and cypher/kuzu', () => {
  const kuzu = (() => {
    try {
      return statementNames('kuzu');
    } catch {
      return [];
    }
  })();
  const shared = kuzu.filter((name) => !isDialectSpecific(rawStatement('kuzu', name)));
  const test = kuzu.length === 0 ? it.skip : it;
  const title =
    kuzu.length === 0
      ? 'name the same statements (skipped: cypher/kuzu is still empty, nothing to compare)'
      : 'name the same statements: every non-DDL statement of cypher/kuzu exists in cypher/neo4j';
  test(title, () => {
    const onlyKuzu = shared.filter((name) => !NAMES.includes(name));
    const onlyNeo4j = NAMES.filter((name) => !kuzu.includes(name));
    const report = `only in kuzu (non-DDL): ${onlyKuzu.join(', ') || 'none'}; only in neo4j: ${onlyNeo4j.join(', ') || 'none'}`;
    expect(onlyKuzu, report).toEqual([]);
  });
});
