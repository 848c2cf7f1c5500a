/**
 * Posture findings (issue 8): the OWASP Non-Human Identity Top 10 found in the graph, each with its
 * evidence path, its accountable owner and the governance mutation that fixes it. Import from here.
 */
export {
  OWASP_ITEMS,
  RULE_IDS,
  SEVERITY_ORDER,
  atOrAbove,
  bySeverityThenId,
  findingId,
  type Finding,
  type FindingOwner,
  type OwaspItem,
  type PathJson,
  type Remediation,
  type RuleId,
} from './finding.js';
export { DEFAULT_THRESHOLDS, getValidThresholds, type Thresholds } from './thresholds.js';
export { FindingsInput, type FindingsInputOptions, type ScopeReach } from './input.js';
export { accountableOwner } from './owner.js';
export { RULES, ruleOf, type Rule } from './rules/index.js';
export { runFindings, postureSummary, type PostureSummary, type RunFindingsOptions } from './run-findings.js';
export { findingsSince, parseSince, type FindingsSince, type FindingsSinceOptions } from './since.js';
