/**
 * What the supergraph protects: `@authenticated`, `@requiresScopes` and `@policy`, read from the ORIGINAL
 * composed supergraph (the one with the SECURITY features), by schema coordinate. Also the stripped copy
 * that @apollo/gateway 2.14 accepts: it refuses any `for: SECURITY` feature it does not know
 * (UNSUPPORTED_LINKED_FEATURE), and these three are known only to the GraphOS Router.
 *
 * The directives' names are resolved from the `@link`s, never assumed: a subgraph may import
 * `{ name: "@requiresScopes", as: "@scopes" }`, and without an import composition writes
 * `@federation__requiresScopes`.
 */
import { Kind, parse, print, valueFromASTUntyped, visit, type ASTNode, type ConstDirectiveNode, type DirectiveNode, type DocumentNode } from 'graphql';
import { createHash } from 'node:crypto';
import { IdGraphError, badInput, type Issue } from '../model/errors.js';

/**
 * What one schema element requires. Scopes and policies are in disjunctive normal form, as the directives
 * write them: the outer list is OR, each inner list AND. `null` when the element requires none; a list
 * that anything satisfies (`[]` or one empty alternative, as the Router reads them) is stored as `null` too.
 */
export interface Requirement {
  readonly authenticated: boolean;
  readonly scopes: readonly (readonly string[])[] | null;
  readonly policies: readonly (readonly string[])[] | null;
}

/** Every requirement of a supergraph, by schema coordinate. Only elements that carry one are present. */
export interface RequirementIndex {
  /** `"Vault"`: objects, interfaces, scalars and enums; a field returning the type requires it too. */
  readonly types: ReadonlyMap<string, Requirement>;
  /** `"User.email"`: fields of objects and interfaces (composition copies implementations' onto interfaces). */
  readonly fields: ReadonlyMap<string, Requirement>;
}

type Spec = 'authenticated' | 'requiresScopes' | 'policy';

/** The local names the three security specs have in one supergraph. */
interface SecurityNames {
  /** Local directive name (without `@`) of each linked spec. */
  readonly directives: Partial<Record<Spec, string>>;
  /** The specs' own types under their local names (`requiresScopes__Scope`, `policy__Policy`). */
  readonly types: ReadonlySet<string>;
  /** The `@link` applications of the specs, to strip. */
  readonly links: ReadonlySet<ASTNode>;
}

const SPEC_URL = /^https:\/\/specs\.apollo\.dev\/(authenticated|requiresScopes|policy)\/v\d+\.\d+$/;
const LINK_URL = /^https:\/\/specs\.apollo\.dev\/link\/v\d+\.\d+$/;
/** The argument each directive carries its DNF in. */
const ARGUMENT: Record<Exclude<Spec, 'authenticated'>, string> = { requiresScopes: 'scopes', policy: 'policies' };

/**
 * Reads every security requirement of a composed supergraph. Two applications on one element (a type and
 * its extension) are combined with AND.
 * @throws IdGraphError BAD_USER_INPUT when the SDL does not parse, or with one issue per directive whose
 *   argument is not a list of lists of strings.
 * @example buildRequirementIndex(supergraphSdl).fields.get('User.email') // { authenticated: false, scopes: [['read:email']], policies: null }
 */
export function buildRequirementIndex(supergraphSdl: string): RequirementIndex {
  const document = parseSupergraph(supergraphSdl);
  const names = securityNames(document);
  const types = new Map<string, Requirement>();
  const fields = new Map<string, Requirement>();
  const issues: Issue[] = [];
  const add = (into: Map<string, Requirement>, coordinate: string, directives: readonly ConstDirectiveNode[] | undefined): void => {
    const found = requirementOf(directives, names, coordinate, issues);
    if (found === null || (!found.authenticated && found.scopes === null && found.policies === null)) return;
    const known = into.get(coordinate);
    into.set(coordinate, known === undefined ? found : mergeRequirements(known, found));
  };
  for (const def of document.definitions) {
    switch (def.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        for (const field of def.fields ?? []) add(fields, `${def.name.value}.${field.name.value}`, field.directives);
        add(types, def.name.value, def.directives);
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        add(types, def.name.value, def.directives);
        break;
      default:
        break;
    }
  }
  if (issues.length > 0) throw badInput(`The supergraph has ${issues.length} malformed security directive(s): ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  return { types, fields };
}

/**
 * The supergraph without the three SECURITY features (their `@link`s, directive definitions and
 * applications, and their `<prefix>__*` types), which @apollo/gateway then plans and executes, ending in a
 * comment with the SHA-256 of the original: ApolloGateway ignores an update whose SDL it already has, and
 * two originals that differ only in their security directives must not strip to the same SDL. Returns the
 * SDL unchanged when it links none of them. Keep the original for `buildRequirementIndex`
 * (`rememberOriginal`; `authzSupergraphManager` does).
 * @throws IdGraphError BAD_USER_INPUT when the SDL does not parse.
 * @example new ApolloGateway({ supergraphSdl: stripSecurityFeatures(supergraphSdl) })
 */
export function stripSecurityFeatures(supergraphSdl: string): string {
  const document = parseSupergraph(supergraphSdl);
  const names = securityNames(document);
  const directives = new Set(Object.values(names.directives));
  if (names.links.size === 0) return supergraphSdl;
  const stripped = print(
    visit(document, {
      Directive: (node) => (names.links.has(node) || directives.has(node.name.value) ? null : undefined),
      DirectiveDefinition: (node) => (directives.has(node.name.value) ? null : undefined),
      ScalarTypeDefinition: (node) => (names.types.has(node.name.value) ? null : undefined),
      EnumTypeDefinition: (node) => (names.types.has(node.name.value) ? null : undefined),
      InputObjectTypeDefinition: (node) => (names.types.has(node.name.value) ? null : undefined),
    }),
  );
  return `${stripped}\n${STRIPPED_MARK}${createHash('sha256').update(supergraphSdl).digest('hex')}\n`;
}

/**
 * Keeps `original` as the original of `stripped` in one gateway's own map (never a module-wide one: the
 * gateways of one process must not evict each other's), with the last few only: the gateway reads each
 * one back as soon as it loads it, and an update it refuses leaves one behind.
 * @example rememberOriginal(originals, stripSecurityFeatures(sdl), sdl)
 */
export function rememberOriginal(remembered: Map<string, string>, stripped: string, original: string): void {
  remembered.delete(stripped);
  remembered.set(stripped, original);
  while (remembered.size > REMEMBERED_LIMIT) remembered.delete(remembered.keys().next().value!);
}

/**
 * The original of a supergraph that a gateway loaded: the one remembered for it, or `sdl` itself when it
 * was never stripped (a supergraph without the features, or one the gateway was patched to accept).
 * `undefined` when `sdl` was stripped but its original is not remembered here: its requirements are
 * unknown, and the gateway must refuse every operation rather than read none.
 * @example originalSupergraphOf(stripSecurityFeatures(sdl), new Map()) // undefined
 */
export function originalSupergraphOf(sdl: string, remembered: ReadonlyMap<string, string>): string | undefined {
  const original = remembered.get(sdl) ?? sdl;
  return isStripped(original) ? undefined : original;
}

/**
 * Both requirements at once: authenticated if either is, and each DNF the AND of the two (the product of
 * their alternatives), as composition merges a field that several subgraphs protect.
 * @example mergeRequirements({ authenticated: false, scopes: [['s1']], policies: null }, { authenticated: true, scopes: [['s2'], ['s3']], policies: null })
 *   // { authenticated: true, scopes: [['s1', 's2'], ['s1', 's3']], policies: null }
 */
export function mergeRequirements(a: Requirement, b: Requirement): Requirement {
  return { authenticated: a.authenticated || b.authenticated, scopes: andDnf(a.scopes, b.scopes), policies: andDnf(a.policies, b.policies) };
}

/**
 * The AND of two DNFs (`null` = no requirement), simplified: each alternative sorted and without
 * duplicates, no alternative twice, none that contains another (it would never be the cheaper one).
 * @example andDnf([['a']], [['b'], ['c']]) // [['a', 'b'], ['a', 'c']]
 */
export function andDnf(a: readonly (readonly string[])[] | null, b: readonly (readonly string[])[] | null): string[][] | null {
  if (a === null) return b === null ? null : simplifyDnf(b);
  if (b === null) return simplifyDnf(a);
  return simplifyDnf(a.flatMap((x) => b.map((y) => [...x, ...y])));
}

/**
 * A DNF in its simplest equivalent form (see `andDnf`); `null` when anything satisfies it.
 * @example simplifyDnf([['b', 'a'], ['a'], ['a']]) // [['a']]
 */
export function simplifyDnf(dnf: readonly (readonly string[])[]): string[][] | null {
  const sets = dnf.map((alternative) => [...new Set(alternative)].sort());
  if (sets.length === 0 || sets.some((s) => s.length === 0)) return null;
  sets.sort((x, y) => x.length - y.length || x.join('\u0000').localeCompare(y.join('\u0000')));
  const kept: string[][] = [];
  for (const s of sets) if (!kept.some((k) => k.every((name) => s.includes(name)))) kept.push(s);
  return kept;
}

/** The comment that ends a stripped supergraph, before the original's SHA-256. */
const STRIPPED_MARK = '# Stripped of its SECURITY features by idgraph; original sha256 ';
const STRIPPED = new RegExp(`\\n${STRIPPED_MARK}[0-9a-f]{64}\\n$`);
const REMEMBERED_LIMIT = 4;

/** Printed SDL has no comments of its own, so only `stripSecurityFeatures` ends one with the mark. */
function isStripped(sdl: string): boolean {
  return STRIPPED.test(sdl);
}

function parseSupergraph(sdl: string): DocumentNode {
  try {
    return parse(sdl, { noLocation: true });
  } catch (error) {
    throw new IdGraphError('BAD_USER_INPUT', `The supergraph SDL does not parse: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Local names of the three specs, per the link spec: an import `{ name: "@x", as: "@y" }` or `"@x"`
 * names the directive; otherwise the spec's root directive (same name as the spec) is `@<as>` or
 * `@<spec>`, and every other element is `<as or spec>__<name>`.
 */
function securityNames(document: DocumentNode): SecurityNames {
  const directives: Partial<Record<Spec, string>> = {};
  const types = new Set<string>();
  const links = new Set<ASTNode>();
  const prefixes: string[] = [];
  const schemaDirectives = document.definitions.flatMap((d) => (d.kind === Kind.SCHEMA_DEFINITION || d.kind === Kind.SCHEMA_EXTENSION ? (d.directives ?? []) : []));
  const linkName = linkDirectiveName(schemaDirectives);
  for (const directive of schemaDirectives) {
    if (directive.name.value !== linkName) continue;
    const url = argument(directive, 'url');
    const match = typeof url === 'string' ? SPEC_URL.exec(url) : null;
    if (match === null) continue;
    const spec = match[1] as Spec;
    const as = argument(directive, 'as');
    const prefix = typeof as === 'string' ? as : spec;
    prefixes.push(prefix);
    let local = prefix;
    const imports = argument(directive, 'import');
    for (const entry of Array.isArray(imports) ? imports : []) {
      const name = typeof entry === 'string' ? entry : isRecord(entry) && typeof entry.name === 'string' ? entry.name : undefined;
      if (name === undefined) continue;
      const alias = isRecord(entry) && typeof entry.as === 'string' ? entry.as : name;
      if (name === `@${spec}`) local = alias.replace(/^@/, '');
      else if (!name.startsWith('@')) types.add(alias);
    }
    directives[spec] = local;
    links.add(directive);
  }
  for (const def of document.definitions) {
    if (def.kind === Kind.SCALAR_TYPE_DEFINITION || def.kind === Kind.ENUM_TYPE_DEFINITION || def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      if (prefixes.some((p) => def.name.value.startsWith(`${p}__`))) types.add(def.name.value);
    }
  }
  return { directives, types, links };
}

/** `@link` itself may be renamed (`@link(url: ".../link/v1.0", as: "l")` is then written `@l(...)`). */
function linkDirectiveName(schemaDirectives: readonly ConstDirectiveNode[]): string {
  for (const directive of schemaDirectives) {
    const url = argument(directive, 'url');
    if (typeof url === 'string' && LINK_URL.test(url)) {
      const as = argument(directive, 'as');
      return typeof as === 'string' ? as : directive.name.value;
    }
  }
  return 'link';
}

function requirementOf(directives: readonly ConstDirectiveNode[] | undefined, names: SecurityNames, coordinate: string, issues: Issue[]): Requirement | null {
  let found: Requirement | null = null;
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    let next: Requirement | null = null;
    if (name === names.directives.authenticated) next = { authenticated: true, scopes: null, policies: null };
    else if (name === names.directives.requiresScopes || name === names.directives.policy) {
      const spec = name === names.directives.requiresScopes ? 'requiresScopes' : 'policy';
      const dnf = dnfArgument(argument(directive, ARGUMENT[spec]));
      if (dnf === undefined) {
        issues.push({ path: coordinate, message: `@${name}(${ARGUMENT[spec]}:) must be a list of lists of strings` });
        continue;
      }
      next = spec === 'requiresScopes' ? { authenticated: false, scopes: dnf, policies: null } : { authenticated: false, scopes: null, policies: dnf };
    }
    if (next !== null) found = found === null ? next : mergeRequirements(found, next);
  }
  return found;
}

/**
 * `[[String!]!]!` as GraphQL input coercion reads it (a lone string is a one-item list), simplified;
 * `undefined` when it is not of that shape.
 */
function dnfArgument(value: unknown): string[][] | null | undefined {
  const outer = Array.isArray(value) ? value : [value];
  const dnf: string[][] = [];
  for (const item of outer) {
    const inner = Array.isArray(item) ? item : [item];
    if (!inner.every((name): name is string => typeof name === 'string')) return undefined;
    dnf.push(inner);
  }
  return simplifyDnf(dnf);
}

function argument(directive: DirectiveNode, name: string): unknown {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  return arg === undefined ? undefined : valueFromASTUntyped(arg.value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
