/**
 * The fixes a finding names: mutations of `schema/governance.graphql`, each with exactly the arguments it
 * takes. `dryRunnable` says the mutation takes `dryRun` (the lifecycle events), so the caller can preview
 * what it would end before running it.
 */
import type { EdgeKey } from '../model/records.js';
import type { Remediation } from './finding.js';

/** What `rotateCredential` needs and the graph cannot know: the hash of the new secret, filled in by whoever rotates. */
export const NEW_FINGERPRINT = '<sha256 fingerprint of the new secret>';
/** The expiry a rotated or reissued credential gets, within the guardrails' one-year cap. */
export const ROTATED_EXPIRY = '90d';

/** `revoke(grant: GrantKeyInput!, reason: String!)`. */
export function revokeGrant(edge: EdgeKey, reason: string): Remediation {
  return { mutation: 'revoke', args: { grant: { type: edge.type, from: edge.from, to: edge.to, id: edge.key }, reason }, dryRunnable: false };
}

/** `revokeCredential(id: ID!, reason: String!)`. */
export function revokeCredential(id: string, reason: string): Remediation {
  return { mutation: 'revokeCredential', args: { id, reason }, dryRunnable: false };
}

/** `rotateCredential(id: ID!, fingerprint: String!, expiresIn: String)`. */
export function rotateCredential(id: string): Remediation {
  return { mutation: 'rotateCredential', args: { id, fingerprint: NEW_FINGERPRINT, expiresIn: ROTATED_EXPIRY }, dryRunnable: false };
}

/** `retireIdentity(id: ID!, reason: String!, dryRun: Boolean)`. */
export function retireIdentity(id: string, reason: string): Remediation {
  return { mutation: 'retireIdentity', args: { id, reason }, dryRunnable: true };
}

/** `quarantine(id: ID!, reason: String!, dryRun: Boolean)`: an identity is disabled with its grants kept. */
export function quarantine(id: string, reason: string): Remediation {
  return { mutation: 'quarantine', args: { id, reason }, dryRunnable: true };
}

/** `reassignOwner(from: ID!, to: ID!, reason: String!, dryRun: Boolean)`. */
export function reassignOwner(from: string, to: string, reason: string): Remediation {
  return { mutation: 'reassignOwner', args: { from, to, reason }, dryRunnable: true };
}
