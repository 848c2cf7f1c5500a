/**
 * Opaque cursors: base64url of a small JSON array whose first element names the kind of list, so that a
 * cursor from one kind of list is refused by another instead of silently paging from the wrong place.
 */
import { IdGraphError } from '../model/errors.js';

/** `edge`: a relation, by (neighbour id, edge key); `node`: a listing, by id; `entry`: a path result, by
 * its target; `finding`: the findings, by finding id. */
export type CursorKind = 'edge' | 'node' | 'entry' | 'finding';

/** @example encodeCursor('edge', ['grp:payments', '']) */
export function encodeCursor(kind: CursorKind, parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([kind, ...parts]), 'utf8').toString('base64url');
}

/**
 * The parts of a cursor of `kind`, checked against the types `shape` lists.
 * @throws IdGraphError BAD_USER_INPUT naming `after` when the cursor is not one of this kind of list.
 */
export function decodeCursor(kind: CursorKind, cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  const ok =
    Array.isArray(parts) &&
    parts[0] === kind &&
    parts.length === shape.length + 1 &&
    shape.every((type, i) => typeof parts[i + 1] === type);
  if (!ok) {
    const message = `must be a cursor from this list, got ${JSON.stringify(cursor)}`;
    throw new IdGraphError('BAD_USER_INPUT', `after ${message}`, { issues: [{ path: 'after', message }] });
  }
  return (parts as unknown[]).slice(1) as (string | number)[];
}
