/** The thresholds: documented defaults, a partial override, and every bad field named. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, getValidThresholds } from '../../src/findings/index.js';
import { IdGraphError } from '../../src/model/errors.js';

function problems(partial: Record<string, unknown>): string[] {
  try {
    getValidThresholds(partial);
  } catch (error) {
    expect(error).toBeInstanceOf(IdGraphError);
    expect((error as IdGraphError).code).toBe('BAD_USER_INPUT');
    return (error as IdGraphError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

describe('getValidThresholds', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_THRESHOLDS).toMatchObject({ unusedGrantDays: 90, staleIdentityDays: 90, rotationPeriodDays: 365, staleCredentialDays: 90, peerOutlierFactor: 3 });
    expect(getValidThresholds()).toEqual(DEFAULT_THRESHOLDS);
  });

  it('lays a partial config over the defaults', () => {
    expect(getValidThresholds({ unusedGrantDays: 30 })).toEqual({ ...DEFAULT_THRESHOLDS, unusedGrantDays: 30 });
  });

  it('reports every bad field by name, with the bad value', () => {
    expect(problems({ unusedGrantDays: 0, peerOutlierFactor: 1, thirdPartyMinSensitivity: 'SEVERE', rotationPeriodDays: 1.5 })).toEqual([
      'unusedGrantDays: must be at least 1 day (got 0)',
      'rotationPeriodDays: must be a whole number of days (got 1.5)',
      'peerOutlierFactor: must be more than 1 (got 1)',
      expect.stringMatching(/^thirdPartyMinSensitivity: .*\(got "SEVERE"\)$/),
    ]);
  });

  it('rejects unknown fields and an environment that is both prod and not', () => {
    expect(problems({ unusedDays: 3 })).toEqual([expect.stringContaining('unusedDays')]);
    expect(problems({ nonProdEnvironments: ['dev', 'prod'] })).toEqual(['nonProdEnvironments: must not repeat a production environment (got ["prod"])']);
  });
});
