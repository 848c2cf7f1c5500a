/**
 * `AuthzGateway`: the `GatewayInterface` that Apollo Server runs, around an ApolloGateway, enforcing
 * `@authenticated`, `@requiresScopes` and `@policy` against what the caller holds in the identity graph
 * instead of token scopes. All of it happens in the executor, once per operation: collect what the
 * operation needs, ask the `Authorizer` once, filter (or reject), execute the rewritten operation, then
 * complete the result in the original shape.
 *
 * The requirement index of each schema is built when the inner gateway reports it, from the ORIGINAL
 * supergraph (which `authzSupergraphManager` keeps in this gateway's own map, found by the stripped SDL the
 * inner gateway loaded), and is looked up by the very schema an operation was validated against; before
 * the first one, or when the original of the one loaded is unknown, every operation is refused (fail closed).
 */
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { GraphQLError, getVariableValues, print, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { createHash } from 'node:crypto';
import { IdGraphError, badInput, type Issue } from '../model/errors.js';
import { completeResult, filterOperation, type Denial, type FilterResult, type Grants } from './filter-operation.js';
import { collectRequirements, selectOperation, unknownOperation, type OperationRequirements } from './operation-requirements.js';
import { buildRequirementIndex, originalSupergraphOf, type RequirementIndex } from './requirements.js';
import { loadingWith } from './supergraph-manager.js';

/** Apollo Server's gateway contract (`@apollo/server-gateway-interface`, reached through its user). */
export type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;
type GatewayRequestContext = Parameters<GatewayExecutor>[0];
type GatewayResult = Awaited<ReturnType<GatewayExecutor>>;
type SchemaListener = Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0];

/** `filter`: withhold what the caller may not read and serve the rest; `reject`: refuse the whole operation (HTTP 403). */
export type AuthzMode = 'filter' | 'reject';

/** What the gateway asks of the identity graph. `Ctx` is Apollo Server's context value of the request. */
export interface Authorizer<Ctx> {
  /** One call per operation that touches anything protected: what the caller holds of what is needed. */
  grantsFor(context: Ctx, needed: OperationRequirements): Promise<Grants>;
  /** After the decision (filter or reject), with what was denied: audit, metrics, and extensions to add to the response (the explain extension). */
  decided?(event: AuthzDecision<Ctx>): Record<string, unknown> | undefined;
}

/** One decision, as `Authorizer.decided` sees it; `denials` is empty when everything was allowed. */
export interface AuthzDecision<Ctx> {
  readonly context: Ctx;
  readonly operationName: string | null;
  /** Shared by every request of the same document: read, never modify. */
  readonly needed: OperationRequirements;
  readonly grants: Grants;
  /** The first `MAX_FORBIDDEN_ERRORS` (each path and coordinate once). */
  readonly denials: readonly Denial[];
  /** How many more denials there were, counted with repetitions; absent or 0 when `denials` holds them all. */
  readonly omittedDenials?: number;
  readonly mode: AuthzMode;
}

export interface AuthzGatewayOptions<Ctx> {
  readonly mode: AuthzMode;
  /** False serves every operation untouched, as the inner gateway would (the benchmark's baseline). */
  readonly enforce: boolean;
  readonly authorizer: Authorizer<Ctx>;
}

const MODES: readonly AuthzMode[] = ['filter', 'reject'];
/** Variable coercion errors past which graphql-js stops coercing: a 1 MB list of bad items would otherwise make one each. */
const MAX_VARIABLE_ERRORS = 50;

/**
 * @throws IdGraphError BAD_USER_INPUT with every invalid option.
 * @example
 * const inner = new ApolloGateway({ supergraphSdl: authzSupergraphManager(supergraphSdl, () => undefined), buildService: ({ name, url }) => createSubgraphDataSource(name, url!) });
 * new ApolloServer<Ctx>({ gateway: new AuthzGateway<Ctx>(inner, { mode: 'filter', enforce: true, authorizer }) });
 */
export class AuthzGateway<Ctx = BaseContext> implements GatewayInterface {
  private readonly mode: AuthzMode;
  private readonly enforce: boolean;
  private readonly authorizer: Authorizer<Ctx>;
  private readonly indexes = new WeakMap<GraphQLSchema, RequirementIndex>();
  /** Stripped SDL → original, filled by the `authzSupergraphManager` of the inner gateway (`loadingWith`). */
  private readonly originals = new Map<string, string>();
  private latest: RequirementIndex | undefined;
  private readonly needs = new WeakMap<DocumentNode, { index: RequirementIndex; byOperation: Map<string, OperationRequirements> }>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly inner: GatewayInterface,
    options: AuthzGatewayOptions<Ctx>,
  ) {
    const issues: Issue[] = [];
    if (!MODES.includes(options.mode)) issues.push({ path: 'mode', message: `must be one of ${MODES.join(', ')}; got ${JSON.stringify(options.mode)}` });
    if (typeof options.enforce !== 'boolean') issues.push({ path: 'enforce', message: `must be a boolean; got ${JSON.stringify(options.enforce)}` });
    if (typeof options.authorizer?.grantsFor !== 'function') issues.push({ path: 'authorizer.grantsFor', message: 'must be a function' });
    if (options.authorizer?.decided !== undefined && typeof options.authorizer.decided !== 'function') issues.push({ path: 'authorizer.decided', message: 'must be a function when given' });
    if (issues.length > 0) throw badInput(`Invalid AuthzGateway options: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
    this.mode = options.mode;
    this.enforce = options.enforce;
    this.authorizer = options.authorizer;
  }

  /** The requirements of the schema loaded last; undefined before the first load, or after a supergraph that could not be read. */
  get requirements(): RequirementIndex | undefined {
    return this.latest;
  }

  /** The inner gateway's: `apiSchema` is the schema clients see; `coreSupergraphSdl` is the stripped supergraph. */
  onSchemaLoadOrUpdate(callback: SchemaListener): () => void {
    return this.inner.onSchemaLoadOrUpdate(callback);
  }

  async load(options: Parameters<GatewayInterface['load']>[0]): ReturnType<GatewayInterface['load']> {
    this.unsubscribe ??= this.inner.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => this.index(apiSchema, coreSupergraphSdl));
    const loaded = await loadingWith(this.originals, () => this.inner.load(options));
    const executor = loaded.executor;
    if (executor === null) return loaded;
    return { ...loaded, executor: (context) => this.execute(context, executor) };
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.inner.stop();
  }

  /** Called by the inner gateway; a throw is logged there, and leaves every operation refused. */
  private index(apiSchema: GraphQLSchema, coreSupergraphSdl: string): void {
    this.latest = undefined;
    const original = originalSupergraphOf(coreSupergraphSdl, this.originals);
    if (original === undefined) {
      throw new IdGraphError(
        'UNAVAILABLE',
        'AuthzGateway: the loaded supergraph was stripped of its security features, and its original is unknown (load the inner gateway with authzSupergraphManager, through AuthzGateway.load): every operation is refused',
      );
    }
    const index = buildRequirementIndex(original);
    this.indexes.set(apiSchema, index);
    this.latest = index;
  }

  private async execute(request: GatewayRequestContext, executor: GatewayExecutor): Promise<GatewayResult> {
    if (!this.enforce) return executor(request);
    const index = this.indexes.get(request.schema) ?? this.latest;
    if (index === undefined) return refused('The gateway cannot authorize operations: no supergraph is loaded', 'UNAVAILABLE', 503);
    // Apollo Server calls the executor even when it resolved no operation (`operationName: ""` among
    // them); ApolloGateway would then pick one itself and run it. Apollo Server answers this error as
    // OPERATION_RESOLUTION_FAILURE, HTTP 400.
    const operation = request.operation as OperationDefinitionNode | undefined;
    if (operation === undefined) return refused(unknownOperation(request.request.operationName), 'BAD_USER_INPUT', 400);
    try {
      return await this.enforced(request, executor, index, operation);
    } catch (error) {
      if (!(error instanceof IdGraphError)) throw error;
      return failed(request, operation, error);
    }
  }

  private async enforced(request: GatewayRequestContext, executor: GatewayExecutor, index: RequirementIndex, operation: OperationDefinitionNode): Promise<GatewayResult> {
    const { schema, document } = request;
    const operationName = operation.name?.value ?? null;
    const needed = this.requirementsOf(schema, index, document, operationName);
    if (!needed.touched) return executor(request);

    // Coerced against the ORIGINAL operation before anything runs: a variable only withheld fields use
    // would not be checked by the gateway, and `@skip`/`@include` must see the defaults.
    const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.request.variables ?? {}, { maxErrors: MAX_VARIABLE_ERRORS });
    if (variables.errors !== undefined) return { errors: variables.errors.map(badVariable) };

    const context = request.context as Ctx;
    let grants: Grants;
    try {
      grants = await this.authorizer.grantsFor(context, needed);
    } catch (error) {
      // The caller learns only that it was refused; the operator reads why.
      request.logger.error(`AuthzGateway: the authorizer failed, operation ${operationName ?? '(anonymous)'} refused: ${(error as Error).message}`);
      return refused('Authorization is unavailable', 'UNAVAILABLE', 503, error);
    }
    const filtered = filterOperation(schema, index, document, operationName, variables.coerced, grants);
    const omitted = filtered.omitted > 0 ? { omittedDenials: filtered.omitted } : {};
    const extensions = this.authorizer.decided?.({ context, operationName, needed, grants, denials: filtered.denials, ...omitted, mode: this.mode });

    if (this.mode === 'reject' && filtered.denials.length > 0) {
      // No data: nothing ran. Without a status Apollo Server would answer 400; it strips `http` from the wire.
      const errors = filtered.forbiddenErrors().map((e) => new GraphQLError(e.message, { nodes: e.nodes, path: e.path, extensions: { ...e.extensions, http: { status: 403 } } }));
      return withExtensions({ errors }, extensions);
    }
    if (!filtered.changed) return withExtensions(await executor(request), extensions);
    return withExtensions(await executeFiltered(request, executor, operationName, filtered), extensions);
  }

  /** Apollo Server hands the same parsed document to every request of the same text: collect once per document. */
  private requirementsOf(schema: GraphQLSchema, index: RequirementIndex, document: DocumentNode, operationName: string | null): OperationRequirements {
    let cached = this.needs.get(document);
    if (cached === undefined || cached.index !== index) {
      cached = { index, byOperation: new Map() };
      this.needs.set(document, cached);
    }
    let needed = cached.byOperation.get(operationName ?? '');
    if (needed === undefined) {
      needed = collectRequirements(schema, index, document, operationName);
      cached.byOperation.set(operationName ?? '', needed);
    }
    return needed;
  }
}

/**
 * The request for the rewritten document. Its `queryHash` must be new: ApolloGateway caches query plans
 * under `sha256(queryHash + operationName)`, and with the original hash it would run the cached plan of
 * the unfiltered operation (the withheld fields, a withheld mutation, would be executed).
 */
function rewritten(request: GatewayRequestContext, document: DocumentNode, operationName: string | null): GatewayRequestContext {
  const source = print(document);
  const queryHash = createHash('sha256').update(source).digest('hex');
  return { ...request, document, source, queryHash, operation: selectOperation(document, operationName) };
}

/**
 * Runs the rewritten operation (nothing when every root field was withheld) and completes its result in
 * the original shape, with the completion's errors before the gateway's.
 */
async function executeFiltered(request: GatewayRequestContext, executor: GatewayExecutor, operationName: string | null, filtered: FilterResult): Promise<GatewayResult> {
  const result: GatewayResult = filtered.document === null ? { data: {} } : await executor(rewritten(request, filtered.document, operationName));
  if (result.data === undefined) return result;
  const completed = completeResult(request.schema, request.document, operationName, request.request.variables, filtered, result.data);
  const errors = [...completed.errors, ...(result.errors ?? [])];
  return { ...result, data: completed.data, ...(errors.length > 0 ? { errors } : {}) };
}

/**
 * An IdGraphError of the enforcement as a response, never as Apollo Server's INTERNAL_SERVER_ERROR with
 * its message: the caller's mistake (an operation that does not match the schema) is a 400, a bug a
 * masked 500 that the operator reads in the log.
 */
function failed(request: GatewayRequestContext, operation: OperationDefinitionNode, error: IdGraphError): GatewayResult {
  if (error.code === 'BAD_USER_INPUT') return refused(error.message, 'BAD_USER_INPUT', 400);
  request.logger.error(`AuthzGateway: operation ${operation.name?.value ?? '(anonymous)'} refused: ${error.message}`);
  return refused('The gateway could not authorize the operation', 'INTERNAL_SERVER_ERROR', 500, error);
}

/** A variable coercion error as Apollo Server answers it for an operation it runs: BAD_USER_INPUT, HTTP 400. */
function badVariable(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

function refused(message: string, code: string, status: number, cause?: unknown): GatewayResult {
  const originalError = cause instanceof Error ? cause : undefined;
  return { errors: [new GraphQLError(message, { extensions: { code, http: { status } }, ...(originalError === undefined ? {} : { originalError }) })] };
}

function withExtensions(result: GatewayResult, extensions: Record<string, unknown> | undefined): GatewayResult {
  return extensions === undefined ? result : { ...result, extensions: { ...result.extensions, ...extensions } };
}
