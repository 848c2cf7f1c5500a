/**
 * An identity as the guardrails see it: its environment, the vendors that operate it, its live owners and
 * the services it belongs to. Pure over the projection and a props lookup.
 */
import { IdGraphError } from '../model/errors.js';
import { isLiveAt } from '../model/liveness.js';
import type { Adjacency } from '../paths/adjacency.js';
import type { NodeProps } from './graph-props.js';
import type { IdentityFacts } from './guardrail-request.js';

/**
 * The facts of identity `id` at `at` (epoch ms). A vendor counts whatever its status: having been run by a
 * third party is the fact that matters. An owner counts only while live (a departed owner owns nothing).
 * The services are those its owners own and those that RUNS_AS it.
 * @throws IdGraphError NOT_FOUND when no Identity has that id.
 * @example identityFacts(projection, (id) => props.get(id), 'sa:payments-ci', Date.now())
 */
export function identityFacts(adj: Adjacency, props: NodeProps, id: string, at: number): IdentityFacts {
  const node = adj.indexOf(id);
  if (node === undefined || adj.labelOf(node) !== 'Identity') throw new IdGraphError('NOT_FOUND', `No identity with id "${id}"`);
  return identityFactsOf(adj, props, node, at);
}

/** `identityFacts` by node index; the caller has checked the label. */
export function identityFactsOf(adj: Adjacency, props: NodeProps, node: number, at: number): IdentityFacts {
  const operatedBy: string[] = [];
  const ownedBy: string[] = [];
  const services = new Set<string>();
  adj.forEachIn(node, (edge) => {
    const from = adj.edgeFrom(edge);
    const type = adj.edgeType(edge);
    if (type === 'OPERATES') operatedBy.push(adj.idOf(from));
    else if (type === 'RUNS_AS') services.add(adj.idOf(from));
    else if (type === 'OWNS' && isLiveAt(adj.nodeStart(from), adj.nodeEnd(from), at)) {
      ownedBy.push(adj.idOf(from));
      adj.forEachOut(from, (owned) => {
        const to = adj.edgeTo(owned);
        if (adj.edgeType(owned) === 'OWNS' && adj.labelOf(to) === 'Service') services.add(adj.idOf(to));
      });
    }
  });
  const environment = props(adj.idOf(node))?.['environment'];
  return {
    id: adj.idOf(node),
    environment: typeof environment === 'string' ? environment : undefined,
    operatedBy: operatedBy.sort(),
    ownedBy: ownedBy.sort(),
    services: [...services].sort(),
  };
}
