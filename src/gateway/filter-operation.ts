/**
 * Phase 2 of enforcement, with the caller's grants: the operation without what the caller may not read
 * (`filterOperation`), and afterwards the response shaped as if it had been asked in full
 * (`completeResult`): `null` at each withheld field, spec null-bubbling, one FORBIDDEN error per
 * instance with its concrete path. That is the GraphOS Router's `filter` behaviour.
 *
 * The rewritten document is a new tree; the original, which Apollo Server caches in its document store,
 * is never touched.
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
  /** Withheld selections that would have run (those under a false `@skip`/`@include` go unreported), in document order. */
  readonly denials: readonly Denial[];
  /** One FORBIDDEN error per denial, with static paths: the response of reject mode. */
  readonly errors: readonly GraphQLError[];
  /** Every field node of the original document that the rewritten one lacks, with why. */
  readonly removed: ReadonlyMap<FieldNode, Refusal>;
}

/** What `completeResult` gives: the data in the original operation's shape and the errors to report. */
export interface CompletedResult {
  readonly data: Record<string, unknown> | null;
  readonly errors: GraphQLError[];
}

/**
 * The alias under which the rewritten document asks for `__typename` where it needs it: in a selection
 * set left empty (its object must still exist, so its withheld children can be shown as null) and in each
 * abstract-typed set (so that `completeResult` can resolve the runtime type).
 */
export const TYPENAME_ALIAS = '__idgraph_typename';

/** FORBIDDEN errors in one response beyond which a single summary error stands for the rest. */
export const MAX_FORBIDDEN_ERRORS = 100;

const TYPENAME: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: TYPENAME_ALIAS }, name: { kind: Kind.NAME, value: '__typename' } };
const TYPENAME_ONLY: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [TYPENAME] };

/**
 * Removes each selection whose requirements the grants do not meet: a field whose own requirement, return
 * type's or (at the root) root type's is unmet, and an inline fragment or spread whose type condition's
 * is. Then drops the variables and fragments nothing uses any more, so the document stays valid.
 * Fragments are rewritten once each; their denials are reported at every place they are spread.
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
  let changed = false;

  const withhold = (set: SelectionSetNode, refusal: Refusal, seen = new Set<string>()): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!removed.has(selection)) removed.set(selection, refusal);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) withhold(selection.selectionSet, refusal, seen);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        withhold(fragmentOf(fragments, selection.name.value).selectionSet, refusal, seen);
      }
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

  // Paths are relative to the set's owner; each caller prefixes its own part on the way up.
  function filterSet(set: SelectionSetNode, parent: GraphQLCompositeType): Filtered {
    const kept: SelectionNode[] = [];
    const found: Found[] = [];
    const nest = (inner: Filtered, prefix: readonly (string | number)[], included: boolean): void => {
      for (const f of inner.found) found.push({ ...f, path: [...prefix, ...f.path], included: included && f.included });
    };
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
          found.push({ ...refusal, path: [key], node: selection, included });
          continue;
        }
        const named = getNamedType(field.type);
        if (selection.selectionSet === undefined || !isCompositeType(named)) {
          kept.push(selection);
          continue;
        }
        const inner = filterSet(selection.selectionSet, named);
        nest(inner, [key, ...listMarks(field.type)], included);
        if (inner.set === null) changed = true;
        const selectionSet = inner.set ?? TYPENAME_ONLY;
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
        found.push({ ...refusal, path: [], node: selection, included });
        continue;
      }
      const inner = fragment === undefined ? filterSet(body, condition) : filterFragment(fragment, condition);
      nest(inner, [], included);
      if (inner.set === null) {
        changed = true;
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT && inner.set !== selection.selectionSet) kept.push({ ...selection, selectionSet: inner.set });
      else kept.push(selection);
    }
    if (kept.length === 0) return { set: null, found };
    if (isAbstractType(parent) && !kept.some((s) => s.kind === Kind.FIELD && s.alias?.value === TYPENAME_ALIAS)) kept.push(TYPENAME);
    const same = kept.length === set.selections.length && kept.every((s, i) => s === set.selections[i]);
    return { set: same ? set : { ...set, selections: kept }, found };
  }

  const top = filterSet(operation.selectionSet, rootTypeOf(schema, operation));
  if (!changed) return { changed: false, document, denials: [], errors: [], removed };
  const reported = reportable(top.found);
  const denials = reported.map(({ path, coordinate, missing }) => ({ path, coordinate, missing }));
  const errors = reported.map((f) => forbidden(f, { nodes: [f.node], path: f.path }));
  if (top.set === null) return { changed, document: null, denials, errors, removed };
  return { changed, document: rebuild(document, operation, top.set, rewritten), denials, errors, removed };
}

/**
 * Re-executes the ORIGINAL operation with graphql-js over the data the gateway returned for the rewritten
 * one. Present keys are copied; a withheld field throws, so graphql-js writes `null`, bubbles it up to the
 * nearest nullable parent and reports one error per instance, with its path and locations. Only those
 * FORBIDDEN errors are returned (the gateway's own are the caller's to append), at most
 * `MAX_FORBIDDEN_ERRORS` and a summary. A withheld field under a `null` parent is not reported: nothing was
 * withheld there. Runs on a resolver-free copy of the schema, because Apollo Server wraps the resolvers of
 * the schema it serves and those wrappers ignore `fieldResolver`.
 * @example completeResult(apiSchema, document, null, {}, filtered, gatewayResult.data)
 */
export function completeResult(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | undefined,
  filtered: Pick<FilterResult, 'removed'>,
  data: Record<string, unknown> | null | undefined,
): CompletedResult {
  if (data === null || data === undefined) return { data: null, errors: [] };
  const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
    const key = info.path.key as string;
    if (isRecord(source) && Object.hasOwn(source, key)) return source[key];
    for (const node of info.fieldNodes) {
      const refusal = filtered.removed.get(node);
      if (refusal !== undefined) throw new Withheld(refusal);
    }
    return undefined;
  };
  const result = executeSync({
    schema: resolverFree(schema),
    document,
    operationName: operationName ?? null,
    variableValues: variables ?? {},
    rootValue: data,
    fieldResolver,
    typeResolver: (value) => {
      const type = isRecord(value) ? (value[TYPENAME_ALIAS] ?? value.__typename) : undefined;
      return typeof type === 'string' ? type : undefined;
    },
  });
  const errors: GraphQLError[] = [];
  let more = 0;
  for (const error of result.errors ?? []) {
    if (!(error.originalError instanceof Withheld)) continue;
    if (errors.length < MAX_FORBIDDEN_ERRORS) errors.push(forbidden(error.originalError.refusal, { nodes: error.nodes ?? [], path: error.path ?? [] }));
    else more++;
  }
  if (more > 0) errors.push(new GraphQLError(`${more} more unauthorized fields were withheld`, { extensions: { code: 'FORBIDDEN' } }));
  return { data: (result.data as Record<string, unknown> | null | undefined) ?? null, errors };
}

/** A selection found unauthorized, with its path relative to the set being filtered. */
interface Found extends Denial {
  readonly node: ASTNode;
  readonly included: boolean;
}

interface Filtered {
  readonly set: SelectionSetNode | null;
  readonly found: readonly Found[];
}

class Withheld extends Error {
  constructor(readonly refusal: Refusal) {
    super(messageOf(refusal));
  }
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

/** The included ones, each path and coordinate once (a list's items share their `'@'` path). */
function reportable(found: readonly Found[]): Found[] {
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = `${JSON.stringify(f.path)} ${f.coordinate}`;
    if (!f.included || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function forbidden(refusal: Refusal, where: { nodes: readonly ASTNode[]; path: readonly (string | number)[] }): GraphQLError {
  return new GraphQLError(messageOf(refusal), {
    nodes: where.nodes,
    path: where.path,
    extensions: { code: 'FORBIDDEN', coordinate: refusal.coordinate, missing: refusal.missing },
  });
}

/** `'@'` once per list level of a field's type: `[[T!]]!` gives two. */
function listMarks(type: GraphQLOutputType): string[] {
  const marks: string[] = [];
  for (let t = getNullableType(type); isListType(t); t = getNullableType(t.ofType)) marks.push('@');
  return marks;
}

/** A false `@skip`/`@include` removes the selection from execution; an unreadable one counts as included. */
function isIncluded(node: SelectionNode, variables: Readonly<Record<string, unknown>> | undefined): boolean {
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false) return false;
  } catch {
    // The gateway reports a bad variable itself; reporting the denial too is the safe side.
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
