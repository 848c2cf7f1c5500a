/** Durations as people write them (`90s`, `30m`, `8h`, `7d`), for grant TTLs. */
import { IdGraphError } from './errors.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/**
 * Seconds in a duration.
 * @throws IdGraphError BAD_USER_INPUT naming `field` and quoting the value.
 * @example parseDuration('8h', 'ttl') // 28800
 */
export function parseDuration(text: string, field: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (match === null || Number(match[1]) === 0) {
    throw new IdGraphError('BAD_USER_INPUT', `${field} must be a duration such as 30m, 8h or 7d, got ${JSON.stringify(text)}`, {
      issues: [{ path: field, message: `must be a duration such as 30m, 8h or 7d, got ${JSON.stringify(text)}` }],
    });
  }
  return Number(match[1]) * UNIT_SECONDS[match[2]!]!;
}
