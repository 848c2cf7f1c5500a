/**
 * Exit codes of the CLI contract (DESIGN.md), the one place an error code becomes a process status; 4 is
 * ours, for a bug, so that scripts never read an internal error as "not found".
 */
import type { ErrorCode } from '../model/errors.js';

export const EXIT = { OK: 0, NOT_FOUND: 1, BAD_INPUT: 2, UNAVAILABLE: 3, INTERNAL: 4 } as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'NOT_FOUND':
      return EXIT.NOT_FOUND;
    case 'BAD_USER_INPUT':
    case 'CONFLICT':
    case 'POLICY_DENIED':
    case 'FORBIDDEN':
    case 'UNAUTHENTICATED':
      return EXIT.BAD_INPUT;
    case 'UNAVAILABLE':
      return EXIT.UNAVAILABLE;
    case 'INTERNAL':
      return EXIT.INTERNAL;
  }
}
