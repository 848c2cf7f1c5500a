/**
 * Guardrail drift (not an OWASP item of its own): the live grants that today's guardrails would deny
 * (`policy/guardrailViolations`, the report behind `idgraph check`). Reported only when the input carries
 * the guardrails; the fix revokes the grant. A grant to a group is answered for by the owner of its
 * domain service (groups have no owner); a central one by nobody in the graph.
 */
import { guardrailViolations } from '../../policy/index.js';
import type { Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { revokeGrant } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { grantDiscriminator, makeFinding, type Rule } from './rule.js';

export const guardrailDrift: Rule = {
  id: 'guardrail-drift',
  owasp: null,
  description: "Live grants that today's guardrails would deny",
  run,
};

function run(input: FindingsInput, _thresholds: Thresholds): Finding[] {
  if (input.guardrails === undefined) return [];
  const report = guardrailViolations(input.adj, input.graphProps(), input.guardrails, input.at);
  return report.entries.map((violation) => {
    const { edge } = violation;
    const props = input.graphProps().edge(edge) ?? {};
    return makeFinding(input, guardrailDrift, {
      subject: edge.from,
      discriminator: grantDiscriminator(edge),
      severity: 'MEDIUM',
      title: `${edge.from} —${edge.type}→ ${edge.to} breaks ${violation.policyIds.join(', ')}: ${violation.reasons.join('; ')}`,
      path: {
        nodes: [edge.from, edge.to],
        steps: [{ type: edge.type, from: edge.from, to: edge.to, ...(edge.key === '' ? {} : { key: edge.key }), origin: edge.origin }],
      },
      props: { grant: { type: edge.type, from: edge.from, to: edge.to, id: edge.key }, ...props, policyIds: violation.policyIds, reasons: violation.reasons },
      remediation: revokeGrant(edge, `breaks ${violation.policyIds.join(', ')}`),
      // Nobody owns a group: the owner of the grant's service answers for a local grant to one.
      ownerOf: input.node(edge.from)?.label === 'Group' ? edge.domain : undefined,
    });
  });
}
