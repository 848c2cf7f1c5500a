/** Turns a query's id argument into a node index, with the errors every query gives for bad ids. */
import { IdGraphError } from '../model/errors.js';
import type { NodeLabel } from '../model/vocabulary.js';
import type { Adjacency } from './adjacency.js';
import type { NodeRef } from './results.js';
import { withArticle } from '../model/text.js';

/**
 * The index of the node `id`, checked against the labels the query accepts (all labels when omitted).
 * @throws IdGraphError NOT_FOUND when no node has this id; BAD_USER_INPUT when its label is not accepted.
 * @example resolveNode(adj, 'sa:ci', { query: 'reach', labels: ['Identity', 'Credential'] })
 */
export function resolveNode(
  adj: Adjacency,
  id: string,
  expected: { readonly query: string; readonly labels?: readonly NodeLabel[] },
): number {
  const node = adj.indexOf(id);
  if (node === undefined) throw new IdGraphError('NOT_FOUND', `No node with id ${JSON.stringify(id)}`);
  const label = adj.labelOf(node);
  if (expected.labels && !expected.labels.includes(label)) {
    throw new IdGraphError(
      'BAD_USER_INPUT',
      `${expected.query} expects ${describe(expected.labels)}, but ${JSON.stringify(id)} is ${withArticle(label)}`,
    );
  }
  return node;
}

/** The id and label of a node, as results name it. */
export function nodeRef(adj: Adjacency, node: number): NodeRef {
  return { id: adj.idOf(node), label: adj.labelOf(node) };
}

function describe(labels: readonly NodeLabel[]): string {
  const named = labels.map(withArticle);
  return named.length <= 1 ? (named[0] ?? 'nothing') : `${named.slice(0, -1).join(', ')} or ${named.at(-1)}`;
}

