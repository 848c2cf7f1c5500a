/**
 * NHI3 Vulnerable Third-Party NHI: an identity that a vendor operates, whose blast radius (everything that
 * falls if the vendor is breached, `paths/blastRadius`) reaches scopes of HIGH or CRITICAL sensitivity.
 * Ranked by impact: the severity follows the most sensitive scope reached, the evidence is the path to the
 * highest-impact one, and the fix revokes the grant that path starts with.
 */
import { blastRadius, toEntryJson } from '../../paths/index.js';
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
    const vendors = vendorsOf.get(identity);
    if (vendors === undefined) vendorsOf.set(identity, [vendor]);
    else vendors.push(vendor);
  }
  for (const [identity, vendors] of [...vendorsOf].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const vendor = vendors.join(', ');
    // Paths only to the sensitive scopes: the radius holds thousands of nodes, the finding shows a few.
    const isSensitiveScope = (node: number) => input.adj.labelOf(node) === 'Scope' && atOrAbove(sensitivityOf(input, input.adj.idOf(node)), thresholds.thirdPartyMinSensitivity);
    const radius = blastRadius(input.adj, identity, { at: input.at, maxDepth: thresholds.maxDepth }, { targets: isSensitiveScope });
    const sensitive = radius.entries.map((entry) => ({ entry }));
    if (sensitive.length === 0) continue;
    const worst = { entry: sensitive[0]!.entry, json: toEntryJson(sensitive[0]!.entry) };
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
