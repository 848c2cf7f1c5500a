/**
 * Phase 1 of enforcement: everything an operation could need, found before anyone is asked, so that the
 * identity graph answers ONCE per operation (the Router's `ScopeExtractionVisitor` does the same for token
 * scopes). Also the rule both phases share of what one selection requires (`selectionRequirements`).
 */
import {
  Kind,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { IdGraphError } from '../model/errors.js';
import type { Requirement, RequirementIndex } from './requirements.js';

/** The union of what an operation's selections require, to ask the caller's grants for. */
export interface OperationRequirements {
  /** Some selection requires an authenticated caller. */
  readonly authenticated: boolean;
  /** Every scope named by a requirement of a selection, whatever alternative it is in. */
  readonly scopes: ReadonlySet<string>;
  readonly policies: ReadonlySet<string>;
  /** Some selection is protected at all; when false, nothing needs deciding. */
  readonly touched: boolean;
}

/**
 * Walks the selected operation and each fragment it reaches (once each), whatever `@skip`/`@include`
 * say: a skipped selection is still in the document that the second phase filters. `__typename` and the
 * introspection fields require nothing.
 * @throws IdGraphError BAD_USER_INPUT when the document has no such operation or does not match the schema
 *   (it was validated against another one).
 * @example collectRequirements(apiSchema, index, parse('{ user(id: "1") { email } }'), null) // { authenticated: false, scopes: Set {'read:email'}, policies: Set {}, touched: true }
 */
export function collectRequirements(schema: GraphQLSchema, index: RequirementIndex, document: DocumentNode, operationName: string | null | undefined): OperationRequirements {
  const operation = selectOperation(document, operationName);
  const fragments = fragmentsOf(document);
  const scopes = new Set<string>();
  const policies = new Set<string>();
  let authenticated = false;
  let touched = false;
  const add = (requirement: Requirement | undefined): void => {
    if (requirement === undefined) return;
    touched = true;
    authenticated ||= requirement.authenticated;
    for (const alternative of requirement.scopes ?? []) for (const scope of alternative) scopes.add(scope);
    for (const alternative of requirement.policies ?? []) for (const policy of alternative) policies.add(policy);
  };
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (isMetaField(selection)) continue;
        const field = fieldOf(parent, selection);
        for (const { requirement } of selectionRequirements(schema, index, parent, field)) add(requirement);
        const named = getNamedType(field.type);
        if (selection.selectionSet !== undefined && isCompositeType(named)) walk(selection.selectionSet, named);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition === undefined ? parent : compositeType(schema, selection.typeCondition.name.value);
        add(index.types.get(condition.name));
        walk(selection.selectionSet, condition);
      } else {
        const fragment = fragmentOf(fragments, selection.name.value);
        if (visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        const condition = compositeType(schema, fragment.typeCondition.name.value);
        add(index.types.get(condition.name));
        walk(fragment.selectionSet, condition);
      }
    }
  };
  walk(operation.selectionSet, rootTypeOf(schema, operation));
  return { authenticated, scopes, policies, touched };
}

/** One requirement that a selection must meet, with the coordinate it is written on. */
export interface AppliedRequirement {
  /** `User.email` for the field's own, `Vault` for its return type's, `Mutation` for its root type's. */
  readonly coordinate: string;
  readonly requirement: Requirement;
}

/**
 * What selecting `field` on `parent` requires, in this order: the field's own requirement, its return
 * type's (lists and non-null unwrapped; the Router's rule), and the root type's for a field of a root type
 * (no field returns a root type, so this is where `type Mutation @authenticated` applies). Unset ones are
 * left out.
 * @example selectionRequirements(schema, index, schema.getQueryType()!, schema.getQueryType()!.getFields().me!) // [{ coordinate: 'Query.me', requirement: { authenticated: true, … } }]
 */
export function selectionRequirements(schema: GraphQLSchema, index: RequirementIndex, parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>): AppliedRequirement[] {
  const found: AppliedRequirement[] = [];
  const add = (coordinate: string, requirement: Requirement | undefined): void => {
    if (requirement !== undefined) found.push({ coordinate, requirement });
  };
  const own = `${parent.name}.${field.name}`;
  add(own, index.fields.get(own));
  const returned = getNamedType(field.type).name;
  add(returned, index.types.get(returned));
  if (isRootType(schema, parent)) add(parent.name, index.types.get(parent.name));
  return found;
}

/**
 * The operation a request runs, as graphql-js picks it: any name given, even `""`, must match one (Apollo
 * Server resolves none for `operationName: ""`, and a gateway that picked the only operation anyway would
 * run what Apollo Server then answers as an internal error).
 * @throws IdGraphError BAD_USER_INPUT when there is no such operation, or several and no name.
 * @example selectOperation(parse('query A { a } query B { b }'), 'B').name?.value // 'B'
 */
export function selectOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const named = operationName !== null && operationName !== undefined;
  const operation = named ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (operation === undefined) throw new IdGraphError('BAD_USER_INPUT', unknownOperation(operationName));
  return operation;
}

/**
 * graphql-js's message for an operation that cannot be picked.
 * @example unknownOperation('') // 'Unknown operation named "".'
 */
export function unknownOperation(operationName: string | null | undefined): string {
  return operationName !== null && operationName !== undefined ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.';
}

/** Fragment definitions by name. */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
}

/** @throws IdGraphError BAD_USER_INPUT for a spread of an undefined fragment. */
export function fragmentOf(fragments: ReadonlyMap<string, FragmentDefinitionNode>, name: string): FragmentDefinitionNode {
  const fragment = fragments.get(name);
  if (fragment === undefined) throw mismatch(`unknown fragment "${name}"`);
  return fragment;
}

/** `__typename`, `__schema`, `__type`: answered by the gateway itself, never protected. */
export function isMetaField(node: FieldNode): boolean {
  return node.name.value.startsWith('__');
}

/** @throws IdGraphError BAD_USER_INPUT when `parent` has no such field (or is a union). */
export function fieldOf(parent: GraphQLCompositeType, node: FieldNode): GraphQLField<unknown, unknown> {
  const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
  if (field === undefined) throw mismatch(`unknown field "${parent.name}.${node.name.value}"`);
  return field;
}

/** @throws IdGraphError BAD_USER_INPUT when the schema has no such object, interface or union. */
export function compositeType(schema: GraphQLSchema, name: string): GraphQLCompositeType {
  const type = schema.getType(name);
  if (!isCompositeType(type)) throw mismatch(`unknown type condition "${name}"`);
  return type;
}

/** @throws IdGraphError BAD_USER_INPUT when the schema has no root type for the operation's kind. */
export function rootTypeOf(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLCompositeType {
  const root = schema.getRootType(operation.operation);
  if (root === undefined || root === null) throw mismatch(`the schema has no ${operation.operation} type`);
  return root;
}

function isRootType(schema: GraphQLSchema, type: GraphQLCompositeType): boolean {
  return type === schema.getQueryType() || type === schema.getMutationType() || type === schema.getSubscriptionType();
}

function mismatch(what: string): IdGraphError {
  return new IdGraphError('BAD_USER_INPUT', `The operation does not match the schema: ${what}`);
}
