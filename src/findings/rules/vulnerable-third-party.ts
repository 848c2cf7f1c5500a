/**
 * NHI3 Vulnerable Third-Party NHI: an identity that a vendor operates, whose blast radius (everything that
 * falls if the vendor is breached, `paths/blastRadius`) reaches scopes of HIGH or CRITICAL sensitivity.
 * Ranked by impact: the severity follows the most sensitive scope reached, the evidence is the path to the
 * highest-impact one, and the fix revokes the grant that path starts with.
 */
import { blastRadius, toResultJson } from '../../paths/index.js';
import { atOrAbove, maxSeverity, type Finding, type PathJson } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { retireIdentity, revokeGrant } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { firstGrant, makeFinding, sensitivityOf, type Rule } from './rule.js';

export const vulnerableThirdParty: Rule = {
  id: 'vulnerable-third-party',
  owasp: 'NHI3',
  description: 'A vendor-operated identity whose blast radius reaches HIGH or CRITICAL scopes',
  run,
};

function run(input: FindingsInput, thresholds: Thresholds): Finding[] {
  const findings: Finding[] = [];
  const vendorsOf = new Map<string, string[]>();
  for (const { from: vendor, to: identity } of input.edgesOf('OPERATES')) {
    if (!input.isLive(vendor) || !input.isLive(identity)) continue;
    vendorsOf.set(identity, [...(vendorsOf.get(identity) ?? []), vendor]);
  }
  for (const [identity, vendors] of [...vendorsOf].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const vendor = vendors.join(', ');
    const radius = blastRadius(input.adj, identity, { at: input.at, maxDepth: thresholds.maxDepth });
    const json = toResultJson(radius);
    const sensitive = radius.entries
      .map((entry, i) => ({ entry, json: json.entries[i]! }))
      .filter(({ entry }) => entry.target.label === 'Scope' && atOrAbove(sensitivityOf(input, entry.target.id), thresholds.thirdPartyMinSensitivity));
    if (sensitive.length === 0) continue;
    const worst = sensitive[0]!;
    const severity = maxSeverity(...sensitive.map(({ entry }) => sensitivityOf(input, entry.target.id)));
    findings.push(
      makeFinding(input, vulnerableThirdParty, {
        subject: identity,
        severity,
        title: `${identity}, operated by ${vendor}, reaches ${sensitive.length} ${thresholds.thirdPartyMinSensitivity}+ scope${sensitive.length === 1 ? '' : 's'}, the worst ${worst.entry.target.id}`,
        path: worst.json.path,
        props: {
          vendors,
          impact: radius.summary.impact,
          scopes: sensitive.map(({ entry }) => ({ id: entry.target.id, sensitivity: sensitivityOf(input, entry.target.id), impact: entry.impact ?? 0 })),
        },
        remediation: fixOf(identity, worst.json.path, vendor),
      }),
    );
  }
  return findings;
}

/** Revoke the grant the worst path starts with; a path with no grant (the identity's own credential) retires it. */
function fixOf(identity: string, path: PathJson, vendor: string): Finding['remediation'] {
  const grant = firstGrant(path);
  const reason = `${vendor} must not reach ${path.nodes[path.nodes.length - 1] ?? 'this scope'}`;
  return grant === undefined ? retireIdentity(identity, reason) : revokeGrant(grant, reason);
}
