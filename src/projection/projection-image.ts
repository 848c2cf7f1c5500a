/**
 * A projection's image: its arrays as they are, what `Projection.image()` gives, a snapshot writes, and
 * `Projection.fromImage` takes back after `checkImage` has found every length and index in range.
 */
import { invariant } from '../model/errors.js';
import { EDGE_TYPES, NODE_LABELS, ORIGINS, SCOPE_LEVELS, SEVERITIES } from '../model/vocabulary.js';
import type { PackedIds } from './id-table.js';

/**
 * Everything a projection holds, as exact-size arrays (views, not copies): what a snapshot writes and
 * `Projection.fromImage` takes back. Indices refer to the vocabulary's arrays (`NODE_LABELS`, …), -1 for
 * none; `edgeKey` indexes `keys` and ends at the last edge whose key is not '' (empty when none has one).
 */
export interface ProjectionImage {
  readonly sequence: number;
  readonly ids: PackedIds;
  readonly labels: Uint8Array<ArrayBuffer>;
  readonly nodeStart: Float64Array<ArrayBuffer>;
  readonly nodeEnd: Float64Array<ArrayBuffer>;
  readonly levels: Int8Array<ArrayBuffer>;
  readonly severities: Int8Array<ArrayBuffer>;
  readonly edgeFrom: Uint32Array<ArrayBuffer>;
  readonly edgeTo: Uint32Array<ArrayBuffer>;
  readonly edgeType: Uint8Array<ArrayBuffer>;
  readonly edgeOrigin: Int8Array<ArrayBuffer>;
  readonly edgeKey: Uint32Array<ArrayBuffer>;
  readonly edgeStart: Float64Array<ArrayBuffer>;
  readonly edgeEnd: Float64Array<ArrayBuffer>;
  readonly keys: readonly string[];
}

/** The value of a column that holds an index of the vocabulary for "none". */
const NONE = -1;

/**
 * Checks an image of `nodes` nodes (its ids' count) before a projection takes its arrays: every column
 * of its length, every index into the vocabulary, the nodes or the keys in range.
 * @throws IdGraphError INTERNAL naming the first problem (a snapshot loader takes that as a corrupt file).
 */
export function checkImage(image: ProjectionImage, nodes: number): void {
  const edges = image.edgeFrom.length;
  for (const column of [image.labels, image.nodeStart, image.nodeEnd, image.levels, image.severities]) {
    invariant(column.length === nodes, `image: a node column of ${column.length} entries for ${nodes} nodes`);
  }
  for (const column of [image.edgeTo, image.edgeType, image.edgeOrigin, image.edgeStart, image.edgeEnd]) {
    invariant(column.length === edges, `image: an edge column of ${column.length} entries for ${edges} edges`);
  }
  invariant(image.edgeKey.length <= edges, `image: ${image.edgeKey.length} edge keys for ${edges} edges`);
  invariant(image.keys[0] === '' && new Set(image.keys).size === image.keys.length, "image: edge keys must start with '' and be distinct");
  invariant(Number.isSafeInteger(image.sequence) && image.sequence >= 0, `image: sequence ${image.sequence}`);
  checkRange(image.labels, 0, NODE_LABELS.length, 'node label');
  checkRange(image.levels, NONE, SCOPE_LEVELS.length, 'scope level');
  checkRange(image.severities, NONE, SEVERITIES.length, 'severity');
  checkRange(image.edgeFrom, 0, nodes, 'edge source');
  checkRange(image.edgeTo, 0, nodes, 'edge target');
  checkRange(image.edgeType, 0, EDGE_TYPES.length, 'edge type');
  checkRange(image.edgeOrigin, NONE, ORIGINS.length, 'edge origin');
  checkRange(image.edgeKey, 0, image.keys.length, 'edge key');
}

function checkRange(values: ArrayLike<number>, min: number, end: number, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value < min || value >= end) invariant(false, `image: ${what} ${value} at ${i} is out of range`);
  }
}
