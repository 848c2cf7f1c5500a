/**
 * One label per id, whatever the store: each adapter looks up which of a batch's ids it already holds
 * under another label (a query per dialect), and this module decides and words the conflict.
 */
import { IdGraphError } from '../model/errors.js';
import type { NodeRecord } from '../model/records.js';
import type { NodeLabel } from '../model/vocabulary.js';
import { withArticle } from '../model/text.js';

/** @throws IdGraphError CONFLICT when the batch gives one id two labels. */
export function checkBatchLabels(nodes: readonly NodeRecord[]): void {
  const seen = new Map<string, NodeLabel>();
  for (const node of nodes) {
    const had = seen.get(node.id);
    if (had !== undefined && had !== node.label) throw labelConflict(node.id, had, 'batch', node.label);
    seen.set(node.id, node.label);
  }
}

/**
 * @param held the ids of `nodes` that the store holds under a label other than the batch's, and that label.
 * @throws IdGraphError CONFLICT for the first node the store holds under another label.
 */
export function checkHeldLabels(nodes: readonly NodeRecord[], held: ReadonlyMap<string, NodeLabel>): void {
  for (const node of nodes) {
    const had = held.get(node.id);
    if (had !== undefined) throw labelConflict(node.id, had, 'store', node.label);
  }
}

function labelConflict(id: string, had: NodeLabel, where: 'store' | 'batch', wanted: NodeLabel): IdGraphError {
  return new IdGraphError('CONFLICT', `node "${id}" is ${withArticle(had)} in the ${where}; it cannot also be ${withArticle(wanted)}`);
}
