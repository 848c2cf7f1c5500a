/** Exit codes of the CLI contract (DESIGN.md): the one place an error code becomes a process status. */
import type { ErrorCode } from '../model/errors.js';

export const EXIT = { OK: 0, NOT_FOUND: 1, BAD_INPUT: 2, UNAVAILABLE: 3 } as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'BAD_USER_INPUT':
      return EXIT.BAD_INPUT;
    case 'UNAVAILABLE':
      return EXIT.UNAVAILABLE;
    default:
      return EXIT.NOT_FOUND;
  }
}
