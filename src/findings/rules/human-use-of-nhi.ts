/**
 * NHI10 Human Use of NHI: a person who can act as a non-human identity, by a live CAN_ASSUME grant to it,
 * or by a credential that authenticates both the person and a non-human identity (the person holds the
 * service account's secret). What the person then does is logged as the machine.
 */
import type { Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { revokeCredential, revokeGrant } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { credentialEvidence, edgePath, grantDiscriminator, grantEvidence, isHuman, isLiveNhi, makeFinding, type Rule } from './rule.js';

export const humanUseOfNhi: Rule = {
  id: 'human-use-of-nhi',
  owasp: 'NHI10',
  description: 'A human who can assume a non-human identity, or who holds its credential',
  run,
};

function run(input: FindingsInput, _thresholds: Thresholds): Finding[] {
  const findings: Finding[] = [];
  for (const edge of input.edgesOf('CAN_ASSUME')) {
    if (!isHuman(input, edge.from) || !isLiveNhi(input, edge.to) || !input.isEdgeLive(edge)) continue;
    findings.push(
      makeFinding(input, humanUseOfNhi, {
        subject: edge.from,
        discriminator: grantDiscriminator(edge),
        severity: 'HIGH',
        title: `${edge.from}, a person, can assume ${edge.to} (${String(input.propsOf(edge.to)['kind'])})`,
        path: edgePath(edge),
        props: grantEvidence(edge),
        remediation: revokeGrant(edge, 'people act as themselves, not as a non-human identity'),
      }),
    );
  }
  for (const credential of input.nodesOf('Credential')) {
    if (!input.isLive(credential.id)) continue;
    const authenticates = input.out(credential.id, 'AUTHENTICATES');
    const humans = authenticates.filter((e) => isHuman(input, e.to) && input.isLive(e.to)).map((e) => e.to);
    const machines = authenticates.filter((e) => isLiveNhi(input, e.to));
    if (humans.length === 0 || machines.length === 0) continue;
    findings.push(
      makeFinding(input, humanUseOfNhi, {
        subject: credential.id,
        severity: 'HIGH',
        title: `${credential.id} authenticates ${humans.join(', ')} and the non-human ${machines.map((e) => e.to).join(', ')}`,
        path: edgePath(machines[0]!),
        props: { ...credentialEvidence(input, credential.id), humans },
        remediation: revokeCredential(credential.id, 'a credential shared by a person and a non-human identity'),
      }),
    );
  }
  return findings;
}
