/**
 * Phase 2 of enforcement, with the caller's grants: the operation without what the caller may not read
 * (`filterOperation`), and afterwards the response shaped as if it had been asked in full
 * (`completeResult`): `null` at each withheld field, spec null-bubbling, one FORBIDDEN error per
 * instance with its concrete path. That is the GraphOS Router's `filter` behaviour.
 *
 * The rewritten document is a new tree; the original, which Apollo Server caches in its document store,
 * is never touched. Both phases cost in proportion to the document (and the data), never to its
 * expansion: a fragment spread twice in each of 24 nested fragments is 1.5 KB of text and 2^24 paths.
 */
import {
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  buildASTSchema,
  executeSync,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  parse,
  printSchema,
  visit,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { invariant } from '../model/errors.js';
import {
  compositeType,
  fieldOf,
  fragmentOf,
  fragmentsOf,
  isMetaField,
  rootTypeOf,
  selectOperation,
  selectionRequirements,
  type AppliedRequirement,
} from './operation-requirements.js';
import { andDnf, simplifyDnf, type RequirementIndex } from './requirements.js';

/** What the caller holds, of what the operation needs (`Authorizer.grantsFor`). */
export interface Grants {
  readonly authenticated: boolean;
  readonly scopes: ReadonlySet<string>;
  readonly policies: ReadonlySet<string>;
}

/** What a caller lacks for one selection: each DNF reduced to the names not held (empty when met). */
export interface Missing {
  readonly authenticated: boolean;
  /** The alternatives still open (OR of ANDs), each without the scopes the caller holds. */
  readonly scopes: string[][];
  readonly policies: string[][];
}

/** One withheld selection, where the operation selects it. */
export interface Denial {
  /** Response keys (aliases), with `'@'` for each list position: `['search', '@', 'label']`. */
  readonly path: readonly (string | number)[];
  /** Where the unmet requirement is written: `Mutation.refund`, or a type such as `Vault`. */
  readonly coordinate: string;
  readonly missing: Missing;
}

/** Why a node of the original document was withheld; for `completeResult`. */
export type Refusal = Pick<Denial, 'coordinate' | 'missing'>;

export interface FilterResult {
  /** False when the caller may read everything selected: run the original document. */
  readonly changed: boolean;
  /** The operation to execute; `null` when every root selection was withheld (execute nothing). */
  readonly document: DocumentNode | null;
  /**
   * Withheld selections that would have run (those under a false `@skip`/`@include` go unreported), in
   * document order, each path and coordinate once: the first `MAX_FORBIDDEN_ERRORS` of them.
   */
  readonly denials: readonly Denial[];
  /**
   * How many more there are beyond `denials`, counted with repetitions (so at most that many distinct
   * ones); 0 when `denials` holds them all. Counting them one by one could take 2^depth steps.
   */
  readonly omitted: number;
  /** Every field node of the original document that the rewritten one lacks, with why. */
  readonly removed: ReadonlyMap<FieldNode, Refusal>;
  /** The alias of the `__typename` that the rewritten document adds: `TYPENAME_ALIAS` unless the document uses it. */
  readonly typenameAlias: string;
  /**
   * The response of reject mode: one FORBIDDEN error per denial, with static paths, and one for the
   * omitted. Built on demand: filter mode never needs them, and locating an error reads the source text.
   */
  forbiddenErrors(): GraphQLError[];
}

/** What `completeResult` gives: the data in the original operation's shape and the errors to report. */
export interface CompletedResult {
  readonly data: Record<string, unknown> | null;
  readonly errors: GraphQLError[];
}

/**
 * The alias under which the rewritten document asks for `__typename` where it needs it: in a selection
 * set left empty (its object must still exist, so its withheld children can be shown as null) and in each
 * abstract-typed set (so that `completeResult` can resolve the runtime type). A document that uses it as
 * an alias itself gets `__idgraph_typename_1` (or the next number free) instead.
 */
export const TYPENAME_ALIAS = '__idgraph_typename';

/** FORBIDDEN errors in one response beyond which a single summary error stands for the rest. */
export const MAX_FORBIDDEN_ERRORS = 100;

/**
 * Removes each selection whose requirements the grants do not meet: a field whose own requirement, return
 * type's or (at the root) root type's is unmet, and an inline fragment or spread whose type condition's
 * is. Then drops the variables and fragments nothing uses any more, so the document stays valid.
 * Fragments are rewritten once each; their denials are reported at every place they are spread, up to
 * `MAX_FORBIDDEN_ERRORS`.
 * @param variables The operation's variable values COERCED (`getVariableValues`, defaults applied): the
 *   `@skip`/`@include` conditions are read from them.
 * @throws IdGraphError BAD_USER_INPUT when the document does not match the schema.
 * @example filterOperation(apiSchema, index, document, null, {}, { authenticated: false, scopes: new Set(), policies: new Set() }).denials
 */
export function filterOperation(
  schema: GraphQLSchema,
  index: RequirementIndex,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | undefined,
  grants: Grants,
): FilterResult {
  const operation = selectOperation(document, operationName);
  const fragments = fragmentsOf(document);
  const removed = new Map<FieldNode, Refusal>();
  const rewritten = new Map<string, Filtered | 'walking'>();
  const withheld = new Set<SelectionSetNode>();
  let typename: FieldNode | undefined;
  let changed = false;

  const typenameField = (): FieldNode => (typename ??= typenameNode(typenameAliasFor(document)));

  // Each set once, however often it is spread: the work stays linear in the document.
  const withhold = (set: SelectionSetNode, refusal: Refusal): void => {
    if (withheld.has(set)) return;
    withheld.add(set);
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!removed.has(selection)) removed.set(selection, refusal);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) withhold(selection.selectionSet, refusal);
      else withhold(fragmentOf(fragments, selection.name.value).selectionSet, refusal);
    }
  };

  const filterFragment = (fragment: FragmentDefinitionNode, condition: GraphQLCompositeType): Filtered => {
    const known = rewritten.get(fragment.name.value);
    invariant(known !== 'walking', `fragment "${fragment.name.value}" spreads itself`);
    if (known !== undefined) return known;
    rewritten.set(fragment.name.value, 'walking');
    const result = filterSet(fragment.selectionSet, condition);
    rewritten.set(fragment.name.value, result);
    return result;
  };

  // Findings are relative to the set's owner; a nested set's are referred to, never copied.
  function filterSet(set: SelectionSetNode, parent: GraphQLCompositeType): Filtered {
    const kept: SelectionNode[] = [];
    const found: Found[] = [];
    for (const selection of set.selections) {
      const included = isIncluded(selection, variables);
      if (selection.kind === Kind.FIELD) {
        if (isMetaField(selection)) {
          kept.push(selection);
          continue;
        }
        const field = fieldOf(parent, selection);
        const key = selection.alias?.value ?? selection.name.value;
        const refusal = refusalOf(selectionRequirements(schema, index, parent, field), grants);
        if (refusal !== null) {
          changed = true;
          removed.set(selection, refusal);
          found.push({ ...refusal, key, node: selection, included });
          continue;
        }
        const named = getNamedType(field.type);
        if (selection.selectionSet === undefined || !isCompositeType(named)) {
          kept.push(selection);
          continue;
        }
        const inner = filterSet(selection.selectionSet, named);
        if (inner.count > 0) found.push({ inner, prefix: [key, ...listMarks(field.type)], included });
        if (inner.set === null) changed = true;
        const selectionSet = inner.set ?? { kind: Kind.SELECTION_SET, selections: [typenameField()] };
        kept.push(selectionSet === selection.selectionSet ? selection : { ...selection, selectionSet });
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragmentOf(fragments, selection.name.value) : undefined;
      const conditionName = fragment?.typeCondition.name.value ?? (selection.kind === Kind.INLINE_FRAGMENT ? selection.typeCondition?.name.value : undefined);
      const condition = conditionName === undefined ? parent : compositeType(schema, conditionName);
      const conditionRequirement = index.types.get(condition.name);
      const refusal = conditionRequirement === undefined ? null : refusalOf([{ coordinate: condition.name, requirement: conditionRequirement }], grants);
      const body = fragment?.selectionSet ?? (selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : undefined);
      invariant(body !== undefined, 'a fragment has a selection set');
      if (refusal !== null) {
        changed = true;
        withhold(body, refusal);
        found.push({ ...refusal, key: null, node: selection, included });
        continue;
      }
      const inner = fragment === undefined ? filterSet(body, condition) : filterFragment(fragment, condition);
      if (inner.count > 0) found.push({ inner, prefix: [], included });
      if (inner.set === null) {
        changed = true;
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT && inner.set !== selection.selectionSet) kept.push({ ...selection, selectionSet: inner.set });
      else kept.push(selection);
    }
    const count = countOf(found);
    if (kept.length === 0) return { set: null, found, count };
    if (isAbstractType(parent)) kept.push(typenameField());
    const same = kept.length === set.selections.length && kept.every((s, i) => s === set.selections[i]);
    return { set: same ? set : { ...set, selections: kept }, found, count };
  }

  const top = filterSet(operation.selectionSet, rootTypeOf(schema, operation));
  const typenameAlias = typename?.alias?.value ?? TYPENAME_ALIAS;
  if (!changed) return { changed: false, document, denials: [], omitted: 0, removed, typenameAlias, forbiddenErrors: () => [] };
  const { reported, omitted } = report(top);
  const denials = reported.map(({ path, coordinate, missing }) => ({ path, coordinate, missing }));
  const forbiddenErrors = (): GraphQLError[] => [
    ...reported.map((r) => forbidden(r, { nodes: [r.node], path: r.path })),
    ...(omitted > 0 ? [summary(`${omitted} more unauthorized selections (counted with repetitions)`)] : []),
  ];
  const rebuilt = top.set === null ? null : rebuild(document, operation, top.set, rewritten);
  return { changed, document: rebuilt, denials, omitted, removed, typenameAlias, forbiddenErrors };
}

/**
 * Re-executes the ORIGINAL operation with graphql-js over the data the gateway returned for the rewritten
 * one. Present keys are copied; a withheld field throws, so graphql-js writes `null`, bubbles it up to the
 * nearest nullable parent and reports one error per instance, with its path and locations. Returns those
 * FORBIDDEN errors, at most `MAX_FORBIDDEN_ERRORS` and a summary (past the cap a nullable withheld field
 * is nulled without an error object: a list of 10^5 items would make 10^5 of them), and any other error
 * of the re-execution (the gateway's own are the caller's to append). When the re-execution cannot run
 * at all, its errors come back with `data: null`. A withheld field under a `null` parent is not reported:
 * nothing was withheld there. The cost is that of executing over the data, which the gateway bounds.
 * Runs on a resolver-free copy of the schema, because Apollo Server wraps the resolvers of the schema it
 * serves and those wrappers ignore `fieldResolver`.
 * @param variables The variable values as the request gave them (this coerces them again).
 * @example completeResult(apiSchema, document, null, {}, filtered, gatewayResult.data)
 */
export function completeResult(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | undefined,
  filtered: Pick<FilterResult, 'removed' | 'typenameAlias'>,
  data: Record<string, unknown> | null | undefined,
): CompletedResult {
  if (data === null || data === undefined) return { data: null, errors: [] };
  let thrown = 0;
  let silenced = 0;
  const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
    const key = info.path.key as string;
    if (isRecord(source) && Object.hasOwn(source, key)) return source[key];
    const refusal = refusalAt(filtered.removed, info.fieldNodes);
    if (refusal === undefined) return undefined;
    // A non-null one must throw to bubble; graphql-js then stops at most one per object.
    if (thrown < MAX_FORBIDDEN_ERRORS || isNonNullType(info.returnType)) {
      thrown++;
      throw new Withheld(refusal);
    }
    silenced++;
    return null;
  };
  const result = executeSync({
    schema: resolverFree(schema),
    document,
    operationName: operationName ?? null,
    variableValues: variables ?? {},
    rootValue: data,
    fieldResolver,
    typeResolver: (value) => {
      const type = isRecord(value) ? (value[filtered.typenameAlias] ?? value.__typename) : undefined;
      return typeof type === 'string' ? type : undefined;
    },
  });
  if (result.data === undefined) return { data: null, errors: [...(result.errors ?? [])] };
  const errors: GraphQLError[] = [];
  let kept = 0;
  let more = silenced;
  for (const error of result.errors ?? []) {
    if (!(error.originalError instanceof Withheld)) errors.push(error);
    else if (kept++ < MAX_FORBIDDEN_ERRORS) errors.push(forbidden(error.originalError.refusal, { nodes: error.nodes ?? [], path: error.path ?? [] }));
    else more++;
  }
  if (more > 0) errors.push(summary(`${more} more unauthorized fields were withheld`));
  return { data: (result.data as Record<string, unknown> | null) ?? null, errors };
}

/** One withheld selection found in a set: a field (`key` is its response key) or a fragment (`key` null). */
interface Withholding extends Refusal {
  readonly key: string | null;
  readonly node: ASTNode;
  readonly included: boolean;
}

/** A nested set's findings, under the path from the set being filtered (`[]` for a fragment). */
interface Nesting {
  readonly inner: Filtered;
  readonly prefix: readonly string[];
  readonly included: boolean;
}

type Found = Withholding | Nesting;

/**
 * One set filtered. Its findings form a DAG (a fragment's are shared by every spread), which `report`
 * walks; `count` is how many included withholdings lie under it, with repetitions, capped.
 */
interface Filtered {
  readonly set: SelectionSetNode | null;
  readonly found: readonly Found[];
  readonly count: number;
}

/** A withholding at its static path from the operation's root. */
interface Reported extends Denial {
  readonly node: ASTNode;
}

class Withheld extends Error {
  constructor(readonly refusal: Refusal) {
    super(messageOf(refusal));
  }
}

/**
 * A static path, one node per key from the root. Equal paths are the same node (each child is made once),
 * so that `report` remembers where it has walked by identity, not by comparing arrays of any length.
 */
class PathNode {
  private readonly children = new Map<string, PathNode>();

  constructor(
    readonly parent: PathNode | null,
    readonly key: string,
  ) {}

  child(key: string): PathNode {
    let child = this.children.get(key);
    if (child === undefined) {
      child = new PathNode(this, key);
      this.children.set(key, child);
    }
    return child;
  }

  keys(): string[] {
    const keys: string[] = [];
    for (let node: PathNode = this; node.parent !== null; node = node.parent) keys.push(node.key);
    return keys.reverse();
  }
}

/**
 * The first `MAX_FORBIDDEN_ERRORS` included withholdings in document order, each path and coordinate
 * once, and how many more (with repetitions, from the counts: never by enumerating them). The walk goes
 * only into sets with something to report, at most once per set and path (2^n routes to one path cost
 * one walk), and stops at the first withholding past the cap: its cost follows the document and the cap,
 * not the number of paths the fragments multiply into.
 */
function report(top: Filtered): { reported: Reported[]; omitted: number } {
  const reported: Reported[] = [];
  const seen = new Map<PathNode, Set<string>>();
  const walked = new Map<Filtered, Set<PathNode>>();
  const remember = <K, V>(map: Map<K, Set<V>>, key: K, value: V): boolean => {
    let values = map.get(key);
    if (values === undefined) map.set(key, (values = new Set()));
    if (values.has(value)) return false;
    values.add(value);
    return true;
  };
  // False once full: a withholding more was found.
  const walk = (filtered: Filtered, at: PathNode): boolean => {
    for (const found of filtered.found) {
      if (!found.included) continue;
      if ('inner' in found) {
        const path = found.prefix.reduce((node, key) => node.child(key), at);
        if (remember(walked, found.inner, path) && !walk(found.inner, path)) return false;
        continue;
      }
      const path = found.key === null ? at : at.child(found.key);
      if (seen.get(path)?.has(found.coordinate) === true) continue;
      if (reported.length === MAX_FORBIDDEN_ERRORS) return false;
      remember(seen, path, found.coordinate);
      reported.push({ path: path.keys(), coordinate: found.coordinate, missing: found.missing, node: found.node });
    }
    return true;
  };
  const complete = walk(top, new PathNode(null, ''));
  return { reported, omitted: complete ? 0 : Math.max(1, top.count - reported.length) };
}

/** Included withholdings under a set's findings, with repetitions; capped where 2^depth would lose precision. */
function countOf(found: readonly Found[]): number {
  let count = 0;
  for (const f of found) if (f.included) count += 'inner' in f ? f.inner.count : 1;
  return Math.min(count, Number.MAX_SAFE_INTEGER);
}

/** By document: Apollo Server hands the same parsed document to every request of the same text. */
const typenameAliases = new WeakMap<DocumentNode, string>();

/**
 * `TYPENAME_ALIAS`, or with the first number after it that the document does not use as an alias: the
 * gateway merges the response keys of one object, so a client's `__idgraph_typename: name` would
 * otherwise stand where `completeResult` reads the runtime type.
 */
function typenameAliasFor(document: DocumentNode): string {
  let alias = typenameAliases.get(document);
  if (alias !== undefined) return alias;
  const aliases = new Set<string>();
  visit(document, { Field: (field) => void (field.alias === undefined ? undefined : aliases.add(field.alias.value)) });
  alias = TYPENAME_ALIAS;
  for (let n = 1; aliases.has(alias); n++) alias = `${TYPENAME_ALIAS}_${n}`;
  typenameAliases.set(document, alias);
  return alias;
}

function typenameNode(alias: string): FieldNode {
  return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: '__typename' } };
}

/** Why a field was withheld, when one of its nodes (merged fields share a response key) was. */
function refusalAt(removed: ReadonlyMap<FieldNode, Refusal>, nodes: readonly FieldNode[]): Refusal | undefined {
  for (const node of nodes) {
    const refusal = removed.get(node);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}

/**
 * `Unauthorized field or type: Mutation.refund (needs scope payments:transactions:write)`: the router's
 * message, with what the caller lacks, so that a developer reads the fix without decoding extensions.
 */
function messageOf({ coordinate, missing }: Refusal): string {
  const alternatives = [
    ...(missing.authenticated ? ['a live identity'] : []),
    ...missing.scopes.map((all) => `scope${all.length === 1 ? '' : 's'} ${all.join(' and ')}`),
    ...missing.policies.map((all) => `polic${all.length === 1 ? 'y' : 'ies'} ${all.join(' and ')}`),
  ];
  return `Unauthorized field or type: ${coordinate}${alternatives.length === 0 ? '' : ` (needs ${alternatives.join(', or ')})`}`;
}

/**
 * The first unmet requirement names the refusal; what is missing is everything unmet, AND-ed (a field
 * whose own scopes and return type's are both unmet needs both).
 */
function refusalOf(requirements: readonly AppliedRequirement[], grants: Grants): Refusal | null {
  let coordinate: string | undefined;
  let authenticated = false;
  let scopes: string[][] | null = null;
  let policies: string[][] | null = null;
  for (const { coordinate: where, requirement } of requirements) {
    const needsLogin = requirement.authenticated && !grants.authenticated;
    const lackingScopes = unmet(requirement.scopes, grants.scopes);
    const lackingPolicies = unmet(requirement.policies, grants.policies);
    if (!needsLogin && lackingScopes === null && lackingPolicies === null) continue;
    coordinate ??= where;
    authenticated ||= needsLogin;
    if (lackingScopes !== null) scopes = andDnf(scopes, lackingScopes) ?? [];
    if (lackingPolicies !== null) policies = andDnf(policies, lackingPolicies) ?? [];
  }
  return coordinate === undefined ? null : { coordinate, missing: { authenticated, scopes: scopes ?? [], policies: policies ?? [] } };
}

/** `null` when some alternative is fully held; else every alternative without what is held. */
function unmet(dnf: readonly (readonly string[])[] | null, held: ReadonlySet<string>): string[][] | null {
  if (dnf === null || dnf.some((all) => all.every((name) => held.has(name)))) return null;
  return simplifyDnf(dnf.map((all) => all.filter((name) => !held.has(name)))) ?? [];
}

function forbidden(refusal: Refusal, where: { nodes: readonly ASTNode[]; path: readonly (string | number)[] }): GraphQLError {
  return new GraphQLError(messageOf(refusal), {
    nodes: where.nodes,
    path: where.path,
    extensions: { code: 'FORBIDDEN', coordinate: refusal.coordinate, missing: refusal.missing },
  });
}

/** The one error that stands for the FORBIDDEN errors past `MAX_FORBIDDEN_ERRORS`. */
function summary(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** `'@'` once per list level of a field's type: `[[T!]]!` gives two. */
function listMarks(type: GraphQLOutputType): string[] {
  const marks: string[] = [];
  for (let t = getNullableType(type); isListType(t); t = getNullableType(t.ofType)) marks.push('@');
  return marks;
}

/**
 * A false `@skip`/`@include` removes the selection from execution; an unreadable one counts as included
 * (the variables are coerced before filtering, so only a caller of `filterOperation` that did not can see one).
 */
function isIncluded(node: SelectionNode, variables: Readonly<Record<string, unknown>> | undefined): boolean {
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false) return false;
  } catch {
    // Reporting the denial is the safe side.
  }
  return true;
}

/** The selected operation and the fragments it still reaches, in document order, without unused variables. */
function rebuild(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  selectionSet: SelectionSetNode,
  rewritten: ReadonlyMap<string, Filtered | 'walking'>,
): DocumentNode {
  const reached = new Set<string>();
  const used = new Set<string>();
  const scan = (node: ASTNode): void => {
    visit(node, {
      FragmentSpread: (spread) => {
        if (reached.has(spread.name.value)) return;
        reached.add(spread.name.value);
        const fragment = rewritten.get(spread.name.value);
        invariant(fragment !== undefined && fragment !== 'walking' && fragment.set !== null, `a kept spread of "${spread.name.value}" has a rewritten fragment`);
        scan(fragment.set);
      },
      Variable: (variable) => void used.add(variable.name.value),
    });
  };
  scan(selectionSet);
  for (const directive of operation.directives ?? []) scan(directive);
  const definitions: DefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition === operation) {
      definitions.push({ ...operation, variableDefinitions: operation.variableDefinitions?.filter((v) => used.has(v.variable.name.value)), selectionSet });
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION && reached.has(definition.name.value)) {
      const fragment = rewritten.get(definition.name.value) as Filtered;
      definitions.push(fragment.set === definition.selectionSet ? definition : { ...definition, selectionSet: fragment.set! });
    }
  }
  return { kind: Kind.DOCUMENT, definitions };
}

const resolverFreeCopies = new WeakMap<GraphQLSchema, GraphQLSchema>();

function resolverFree(schema: GraphQLSchema): GraphQLSchema {
  let copy = resolverFreeCopies.get(schema);
  if (copy === undefined) {
    copy = buildASTSchema(parse(printSchema(schema)), { assumeValidSDL: true });
    resolverFreeCopies.set(schema, copy);
  }
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
