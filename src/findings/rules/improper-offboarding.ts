/**
 * NHI1 Improper Offboarding: access that should have ended with what it served. Live identities and
 * credentials under a retired service (it runs as them, holds them, or their grants are of its local
 * roles), identities of an offboarded vendor, subjects whose every owner is no longer ACTIVE, non-human
 * identities that nobody owns at all, and credentials past their expiry that were never revoked and still
 * sit in a service.
 */
import type { EdgeRecord } from '../../model/records.js';
import { GRANT_EDGE_TYPES } from '../../model/vocabulary.js';
import type { Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { accountableOwner, isActiveOwner, ownersOf } from '../owner.js';
import { quarantine, reassignOwner, retireIdentity, revokeCredential, revokeGrant } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { credentialEvidence, edgePath, grantDiscriminator, grantEvidence, isLiveNhi, makeFinding, timeOf, type Rule } from './rule.js';

export const improperOffboarding: Rule = {
  id: 'improper-offboarding',
  owasp: 'NHI1',
  description: 'Live identities, credentials or grants left behind by a retired service, an offboarded vendor or a departed owner; identities nobody owns',
  run,
};

function run(input: FindingsInput, thresholds: Thresholds): Finding[] {
  return [...retiredServices(input), ...offboardedVendors(input), ...ownership(input, thresholds), ...expiredUnrevoked(input)];
}

function retiredServices(input: FindingsInput): Finding[] {
  const findings: Finding[] = [];
  const retired = new Set(input.nodesOf('Service').filter((s) => s.props['status'] === 'RETIRED').map((s) => s.id));
  if (retired.size === 0) return findings;
  for (const service of retired) {
    for (const edge of input.out(service, 'RUNS_AS')) {
      if (!input.isLive(edge.to)) continue;
      findings.push(
        makeFinding(input, improperOffboarding, {
          subject: edge.to,
          discriminator: `runs-as:${service}`,
          severity: 'HIGH',
          title: `${edge.to} is still live, but ${service}, which runs as it, is retired`,
          path: edgePath(edge),
          props: { service, serviceStatus: 'RETIRED' },
          remediation: retireIdentity(edge.to, `${service} is retired`),
        }),
      );
    }
    for (const edge of input.out(service, 'HOLDS')) {
      if (!input.isLive(edge.to)) continue;
      findings.push(
        makeFinding(input, improperOffboarding, {
          subject: edge.to,
          discriminator: `held-by:${service}`,
          severity: 'HIGH',
          title: `${edge.to} is still live, but ${service}, which holds it, is retired`,
          path: edgePath(edge),
          props: { service, serviceStatus: 'RETIRED', ...credentialEvidence(input, edge.to) },
          remediation: revokeCredential(edge.to, `${service} is retired`),
        }),
      );
    }
  }
  for (const type of GRANT_EDGE_TYPES) {
    for (const edge of input.edgesOf(type)) {
      const service = retiredServiceOf(input, edge, retired);
      if (service === undefined || !input.isEdgeLive(edge)) continue;
      findings.push(
        makeFinding(input, improperOffboarding, {
          subject: edge.from,
          discriminator: grantDiscriminator(edge),
          severity: 'HIGH',
          title: `${edge.from} still holds ${edge.to}, a grant of ${service}, which is retired`,
          path: edgePath(edge),
          props: { service, serviceStatus: 'RETIRED', ...grantEvidence(edge) },
          remediation: revokeGrant(edge, `${service} is retired`),
        }),
      );
    }
  }
  return findings;
}

/** The retired service a grant belongs to: its domain, or the service that owns the role it grants. */
function retiredServiceOf(input: FindingsInput, edge: EdgeRecord, retired: ReadonlySet<string>): string | undefined {
  const domain = edge.props['domain'];
  if (typeof domain === 'string' && retired.has(domain)) return domain;
  if (edge.type !== 'HAS_ROLE') return undefined;
  const service = input.propsOf(edge.to)['service'];
  return typeof service === 'string' && retired.has(service) ? service : undefined;
}

function offboardedVendors(input: FindingsInput): Finding[] {
  const findings: Finding[] = [];
  for (const vendor of input.nodesOf('Vendor')) {
    if (vendor.props['status'] !== 'OFFBOARDED') continue;
    for (const edge of input.out(vendor.id, 'OPERATES')) {
      if (!input.isLive(edge.to)) continue;
      findings.push(
        makeFinding(input, improperOffboarding, {
          subject: edge.to,
          discriminator: `operated-by:${vendor.id}`,
          severity: 'HIGH',
          title: `${edge.to} is still live, but ${vendor.id}, which operates it, is offboarded`,
          path: edgePath(edge),
          props: { vendor: vendor.id, vendorStatus: 'OFFBOARDED' },
          remediation: retireIdentity(edge.to, `${vendor.id} is offboarded`),
        }),
      );
    }
  }
  return findings;
}

function ownership(input: FindingsInput, thresholds: Thresholds): Finding[] {
  const findings: Finding[] = [];
  const subjects = [
    ...input.nodesOf('Identity').filter((n) => isLiveNhi(input, n.id)),
    ...input.nodesOf('Credential').filter((n) => input.isLive(n.id)),
  ];
  for (const subject of subjects) {
    const owners = ownersOf(input, subject.id);
    const isCredential = subject.label === 'Credential';
    if (owners.length > 0) {
      if (owners.some(isActiveOwner)) continue;
      const gone = owners[0]!;
      const standIn = accountableOwner(input, subject.id);
      findings.push(
        makeFinding(input, improperOffboarding, {
          subject: subject.id,
          discriminator: 'inactive-owner',
          severity: 'MEDIUM',
          title: `${subject.id} is live, but its owner ${gone.id} is ${String(gone.props['status'])}`,
          props: { owners: owners.map((o) => ({ id: o.id, kind: o.props['kind'], status: o.props['status'] })) },
          remediation:
            standIn.id !== ''
              ? reassignOwner(gone.id, standIn.id, `${gone.id} is ${String(gone.props['status'])}`)
              : isCredential
                ? revokeCredential(subject.id, `no active owner`)
                : quarantine(subject.id, `no active owner`),
        }),
      );
      continue;
    }
    // Credentials belong to their identity, which answers for them; identities must have an owner.
    if (isCredential) continue;
    const owner = accountableOwner(input, subject.id);
    if (owner.via !== 'none' || owner.note?.startsWith('nothing owns') !== true) continue;
    const scopes = input.scopesOf(subject.id, thresholds.maxDepth);
    findings.push(
      makeFinding(input, improperOffboarding, {
        subject: subject.id,
        discriminator: 'no-owner',
        severity: scopes.length > 0 ? 'HIGH' : 'MEDIUM',
        title: `${subject.id} is live and nobody owns it${scopes.length > 0 ? `; it reaches ${scopes.length} scope${scopes.length === 1 ? '' : 's'}` : ''}`,
        path: scopes[0]?.entry().path,
        props: { kind: subject.props['kind'], environment: subject.props['environment'], lastSeenAt: subject.props['lastSeenAt'], scopes: scopes.length },
        remediation: quarantine(subject.id, 'no accountable owner'),
      }),
    );
  }
  return findings;
}

function expiredUnrevoked(input: FindingsInput): Finding[] {
  const findings: Finding[] = [];
  for (const credential of input.nodesOf('Credential')) {
    const expires = timeOf(credential.props, 'expiresAt');
    if (expires === undefined || expires > input.at || credential.props['revokedAt'] !== undefined) continue;
    const holders = input.in(credential.id, 'HOLDS').filter((e) => input.isLive(e.from));
    if (holders.length === 0) continue;
    findings.push(
      makeFinding(input, improperOffboarding, {
        subject: credential.id,
        discriminator: 'expired-unrevoked',
        severity: 'LOW',
        title: `${credential.id} expired but was never revoked, and ${holders.map((e) => e.from).join(', ')} still hold${holders.length === 1 ? 's' : ''} it`,
        path: edgePath(holders[0]!),
        props: { ...credentialEvidence(input, credential.id), heldBy: holders.map((e) => e.from) },
        remediation: revokeCredential(credential.id, 'expired; revoke it and remove it from where it is stored'),
      }),
    );
  }
  return findings;
}
