/**
 * The one error type of the project. Each layer throws it at its edge, where it knows what went wrong;
 * `graphql/` maps `code` to `extensions.code` once and the CLI maps it to an exit code once.
 */

/** What went wrong, as the API names it (DESIGN.md, API conventions), plus INTERNAL for bugs. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'POLICY_DENIED'
  | 'CONFLICT'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** One problem found by a validation, with where it is: `line` (and `file`, when several) for files, `path` for the field. */
export interface Issue {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly file?: string;
}

export interface IdGraphErrorOptions {
  readonly issues?: readonly Issue[];
  readonly cause?: unknown;
}

/**
 * @example throw new IdGraphError('NOT_FOUND', 'No node with id "sa:nope"')
 */
export class IdGraphError extends Error {
  override readonly name = 'IdGraphError';
  readonly code: ErrorCode;
  /** Every problem a validation found, in input order; empty for single-cause errors. */
  readonly issues: readonly Issue[];

  constructor(code: ErrorCode, message: string, options: IdGraphErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/** Throws INTERNAL when a condition that the code itself guarantees does not hold. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new IdGraphError('INTERNAL', `Invariant failed: ${message}`);
}

/** Formats an issue the way every surface prints it: `line 14: props.kind: …`, `grants.csv line 3: role: …`. */
export function formatIssue(issue: Issue): string {
  const file = issue.file === undefined ? '' : `${issue.file} `;
  const where = issue.line === undefined ? file.replace(/ $/, ': ') : `${file}line ${issue.line}: `;
  return `${where}${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

/** One aggregate BAD_USER_INPUT error for a list of issues (the caller collected them all first). */
export function badInput(summary: string, issues: readonly Issue[]): IdGraphError {
  return new IdGraphError('BAD_USER_INPUT', summary, { issues });
}
