/**
 * Role and scope definitions (issue 5): a service team defines the LOCAL roles and scopes of its own
 * service, the central team the CENTRAL ones (the guardrails decide which). A definition is an upsert:
 * the node, and for a role the INHERITS and GRANTS edges it names, replacing none it does not name
 * (nothing is deleted; an edge is ended by revoking it).
 */
import { IdGraphError, type Issue } from '../model/errors.js';
import { NODE_PROPS, type Props } from '../model/properties.js';
import { SEVERITIES } from '../model/vocabulary.js';
import type { EdgeRecord, NodeRecord } from '../model/records.js';
import type { Origin } from '../model/vocabulary.js';
import type { Decision } from '../policy/index.js';
import { actorOf, auditOf, decided, iso, refuse } from './decide.js';
import type { Acting, GovernanceDeps } from './grant-mutations.js';
import { withArticle } from '../model/text.js';

export interface RoleDefinition {
  readonly id: string;
  readonly name: string;
  readonly origin: Origin;
  /** The owning service, for a LOCAL role. */
  readonly service?: string | undefined;
  readonly description?: string | undefined;
  /** Roles this one inherits (it gets every scope of theirs). */
  readonly inherits?: readonly string[] | undefined;
  /** Scopes this role grants. */
  readonly grants?: readonly string[] | undefined;
}

export interface ScopeDefinition {
  readonly id: string;
  readonly name: string;
  readonly origin: Origin;
  /** The service the scope acts on; for a LOCAL scope, the service that owns it. */
  readonly service: string;
  readonly level: 'READ' | 'WRITE' | 'ADMIN';
  readonly sensitivity?: 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' | undefined;
  readonly description?: string | undefined;
}

export interface DefinitionOutcome {
  readonly node: NodeRecord;
  readonly decision: Decision;
  readonly sequence: number;
}

/** @throws IdGraphError BAD_USER_INPUT listing every problem; POLICY_DENIED. */
export async function defineRole(deps: GovernanceDeps, acting: Acting, input: RoleDefinition): Promise<DefinitionOutcome> {
  const issues: Issue[] = [];
  const props = checkedProps('Role', { name: input.name, origin: input.origin, service: input.service, description: input.description }, issues);
  expectLabel(deps, input.id, 'Role', 'id', issues, true);
  if (input.service !== undefined) expectLabel(deps, input.service, 'Service', 'service', issues);
  for (const role of input.inherits ?? []) expectLabel(deps, role, 'Role', 'inherits', issues);
  for (const scope of input.grants ?? []) expectLabel(deps, scope, 'Scope', 'grants', issues);
  if (issues.length > 0) throw new IdGraphError('BAD_USER_INPUT', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  // A local definition may reference only its owner's services: its scopes act on them, its parents are theirs.
  const parents = await deps.store.getNodes(input.inherits ?? []);
  const foreign = [
    ...(input.grants ?? []).filter((scope) => !serviceOwned(acting, serviceOfScope(deps, scope))),
    // A parent's scopes come with it: only LOCAL roles of the actor's own services.
    ...(input.inherits ?? []).filter((role, i) => !serviceOwned(acting, parents[i]?.props['origin'] === 'LOCAL' ? stringOr(parents[i]?.props['service']) : undefined)),
  ];
  if (foreign.length > 0) await refuse(deps, acting, 'defineRole', [input.id, ...foreign], `a local role may grant and inherit only from the actor's own services: ${foreign.join(', ')}`);
  const decision = await decidedOnBoth(deps, acting, 'defineRole', { id: input.id, origin: input.origin, service: input.service });
  const node: NodeRecord = { label: 'Role', id: input.id, props: { ...props, updatedAt: iso(acting.now) } };
  const edgeProps = { origin: input.origin, ...(input.service ? { domain: input.service } : {}), grantedBy: acting.caller.subject, grantedAt: iso(acting.now) };
  const edges: EdgeRecord[] = [
    ...(input.inherits ?? []).map((to): EdgeRecord => ({ type: 'INHERITS', from: input.id, to, fromLabel: 'Role', toLabel: 'Role', key: '', props: edgeProps })),
    ...(input.grants ?? []).map((to): EdgeRecord => ({ type: 'GRANTS', from: input.id, to, fromLabel: 'Role', toLabel: 'Scope', key: '', props: edgeProps })),
  ];
  const commit = await deps.writer.commit([node], edges, auditOf(acting, 'defineRole', [input.id, ...edges.map((e) => e.to)], decision, input.name));
  return { node, decision, sequence: commit.sequence };
}

/** @throws IdGraphError BAD_USER_INPUT listing every problem; POLICY_DENIED. */
export async function defineScope(deps: GovernanceDeps, acting: Acting, input: ScopeDefinition): Promise<DefinitionOutcome> {
  const issues: Issue[] = [];
  const props = checkedProps('Scope', { name: input.name, origin: input.origin, level: input.level, sensitivity: input.sensitivity, description: input.description }, issues);
  expectLabel(deps, input.id, 'Scope', 'id', issues, true);
  expectLabel(deps, input.service, 'Service', 'service', issues);
  if (issues.length > 0) throw new IdGraphError('BAD_USER_INPUT', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  const [stored] = await deps.store.getNodes([input.id]);
  const rank = (value: unknown) => SEVERITIES.indexOf((value as (typeof SEVERITIES)[number] | undefined) ?? 'LOW');
  if (stored !== undefined && !isCentral(acting) && rank(input.sensitivity) < rank(stored.props['sensitivity'])) {
    await refuse(deps, acting, 'defineScope', [input.id], `only a central admin may lower a scope's sensitivity (${String(stored.props['sensitivity'])} → ${input.sensitivity ?? 'LOW'})`);
  }
  const decision = await decidedOnBoth(deps, acting, 'defineScope', { id: input.id, origin: input.origin, service: input.service });
  const node: NodeRecord = { label: 'Scope', id: input.id, props: { ...props, updatedAt: iso(acting.now) } };
  const on: EdgeRecord = { type: 'ON', from: input.id, to: input.service, fromLabel: 'Scope', toLabel: 'Service', key: '', props: {} };
  const commit = await deps.writer.commit([node], [on], auditOf(acting, 'defineScope', [input.id, input.service], decision, input.name));
  return { node, decision, sequence: commit.sequence };
}

/** The props, checked against the label's schema (the same rules as an import line). */
function checkedProps(label: 'Role' | 'Scope', raw: Record<string, unknown>, issues: Issue[]): Props {
  const props = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== null));
  const parsed = NODE_PROPS[label].safeParse(props);
  if (!parsed.success) for (const issue of parsed.error.issues) issues.push({ path: issue.path.map(String).join('.'), message: issue.message });
  return props;
}

/** An id that names a node of `label`; with `orNew`, one that is absent (a new definition) is fine too. */
function expectLabel(deps: GovernanceDeps, id: string, label: string, path: string, issues: Issue[], orNew = false): void {
  const node = deps.projection.indexOf(id);
  if (node === undefined) {
    if (!orNew) issues.push({ path, message: `no ${label} "${id}"` });
    return;
  }
  const actual = deps.projection.labelOf(node);
  if (actual !== label) issues.push({ path, message: `"${id}" is ${withArticle(actual)}, not ${withArticle(label)}` });
}

/**
 * Decides a definition as written and, when the node exists, as it stands: editing an existing role or
 * scope needs the right to its current origin and service too, or an owner could take over another
 * service's (or a central) definition by naming its id.
 */
async function decidedOnBoth(deps: GovernanceDeps, acting: Acting, action: 'defineRole' | 'defineScope', wanted: { id: string; origin: Origin; service?: string | undefined }): Promise<Decision> {
  const [stored] = await deps.store.getNodes([wanted.id]);
  if (stored !== undefined) {
    const origin = stored.props['origin'] === 'LOCAL' ? 'LOCAL' : 'CENTRAL';
    const service = action === 'defineRole' ? stringOr(stored.props['service']) : serviceOfScope(deps, wanted.id);
    await decided(deps, acting, { action, actor: actorOf(acting), definition: { id: wanted.id, origin, service } }, [wanted.id]);
  }
  return decided(deps, acting, { action, actor: actorOf(acting), definition: wanted }, [wanted.id]);
}

function isCentral(acting: Acting): boolean {
  return acting.caller.roles.includes('central-admin');
}

function serviceOwned(acting: Acting, service: string | undefined): boolean {
  return isCentral(acting) || (service !== undefined && acting.caller.services.includes(service));
}

/** The service a scope acts on (its ON edge), if any. */
function serviceOfScope(deps: GovernanceDeps, scope: string): string | undefined {
  const node = deps.projection.indexOf(scope);
  let service: string | undefined;
  if (node !== undefined) deps.projection.forEachOut(node, (e) => void (deps.projection.edgeType(e) === 'ON' && (service ??= deps.projection.idOf(deps.projection.edgeTo(e)))));
  return service;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
