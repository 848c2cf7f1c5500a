/**
 * `findings` and `postureSummary` over the demo estate: the planted messes come back with their OWASP
 * items, evidence, owner and fix; the same findings as the core computes over the same store; paging,
 * filters, counts that agree, one run per sequence and minute, and only posture readers may ask.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MESSES } from '../../seed/demo-estate.js';
import { FindingsInput, getValidThresholds, runFindings } from '../../src/findings/index.js';
import { findingsSince } from '../../src/findings/since.js';
import { computedFindings } from '../../src/graphql/findings-cache.js';
import { loadGuardrails } from '../../src/policy/index.js';
import { demoApi, NOW, type TestApi } from './api.js';

const m = DEMO_MESSES;

const FINDING_FIELDS = `
  id rule owasp severity title
  subject { id label name }
  evidence { path { nodes steps { type from to grant { origin status } } } props }
  owner { id name via note }
  remediation { mutation args dryRunnable }
  status
`;

interface FindingJson {
  id: string;
  rule: string;
  owasp: string | null;
  severity: string;
  title: string;
  subject: { id: string; label: string; name: string | null };
  evidence: { path: { nodes: string[]; steps: { type: string; from: string; to: string; grant: { origin: string | null; status: string | null } | null }[] } | null; props: Record<string, unknown> | null };
  owner: { id: string | null; name: string | null; via: string; note: string | null };
  remediation: { mutation: string; args: Record<string, unknown>; dryRunnable: boolean };
  status: 'NEW' | 'STAYED' | 'RESOLVED' | null;
}

interface FindingsPage {
  findings: {
    totalCount: number;
    at: string;
    since: string | null;
    sequence: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: { cursor: string; node: FindingJson }[];
  };
}

const PAGE = `query ($filter: FindingFilter, $at: DateTime, $since: String, $first: Int, $after: String) {
  findings(filter: $filter, at: $at, since: $since, first: $first, after: $after) {
    totalCount at since sequence
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ${FINDING_FIELDS} } }
  }
}`;

const SUMMARY = `query ($at: DateTime) {
  postureSummary(at: $at) { total other at sequence bySeverity { severity count } byOwasp { owasp count } }
}`;

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

describe('findings', () => {
  let api: TestApi;
  let all: FindingJson[];

  beforeAll(async () => {
    api = await demoApi({ governance: true });
    const page = await api.data<FindingsPage>(PAGE, { first: 500 });
    all = page.findings.edges.map((e) => e.node);
    expect(page.findings.totalCount).toBe(all.length);
  });

  const owaspOf = (subject: string): string[] => [...new Set(all.filter((f) => f.subject.id === subject).map((f) => f.owasp ?? 'other'))].sort();

  it('lists every planted mess of the demo estate with its OWASP items', () => {
    expect({
      orphan: owaspOf(m.orphanedServiceAccount.identity),
      orphanPassword: owaspOf(m.orphanedServiceAccount.credential),
      staleKey: owaspOf(m.staleKey.credential),
      staleAccount: owaspOf(m.staleKey.identity),
      vendor: owaspOf(m.vendorToCritical.identity),
      agent: owaspOf(m.agentAssumesDeployer.agent),
      copilot: owaspOf(m.quietAdminChain.holders[1]),
      retiredServiceGrant: owaspOf(m.grantOnRetiredService.identity),
      expiredToken: owaspOf(m.expiredUnrevokedToken.credential),
      devToProd: owaspOf(m.devToProd.identity),
    }).toEqual({
      orphan: ['NHI1', 'other'],
      orphanPassword: ['NHI4', 'NHI7'],
      staleKey: ['NHI5', 'NHI7'],
      staleAccount: ['other'],
      vendor: ['NHI3', 'other'],
      agent: ['NHI5'],
      copilot: ['NHI5'],
      retiredServiceGrant: ['NHI1'],
      expiredToken: ['NHI1'],
      devToProd: ['NHI8', 'other'],
    });
  });

  it('serves the same findings, in the same order, as the core computes over the same store and instant', async () => {
    const input = await FindingsInput.load(api.store, api.projection, { at: NOW.getTime(), guardrails: loadGuardrails() });
    expect(all.map((f) => f.id)).toEqual(runFindings(input).map((f) => f.id));
  });

  it('lists highest severity first, then by id', () => {
    const ranks = all.map((f) => SEVERITIES.indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (const severity of SEVERITIES) {
      const ids = all.filter((f) => f.severity === severity).map((f) => f.id);
      expect(ids).toEqual([...ids].sort());
    }
  });

  it('gives the evidence path with each step’s grant, the subject as a node, the owner and the fix', () => {
    const finding = all.find((f) => f.id === `vulnerable-third-party:${m.vendorToCritical.identity}`)!;
    expect(finding).toMatchObject({
      rule: 'vulnerable-third-party',
      owasp: 'NHI3',
      severity: 'CRITICAL',
      subject: { id: m.vendorToCritical.identity, label: 'Identity', name: 'clearpath-kyc-sync' },
      owner: { id: 'team:identity', via: 'OWNS' },
    });
    const v = m.vendorToCritical;
    expect(finding.evidence.path?.nodes).toEqual([v.identity, v.group, v.role, v.inheritedRole, v.scope]);
    expect(finding.evidence.path?.steps[0]).toEqual({ type: 'MEMBER_OF', from: v.identity, to: v.group, grant: { origin: 'LOCAL', status: 'ACTIVE' } });
    expect(typeof finding.remediation.mutation).toBe('string');
    expect(finding.remediation.args).toEqual(expect.any(Object));

    const devToProd = all.find((f) => f.id === `environment-isolation:${m.devToProd.identity}:grant:HAS_ROLE:${m.devToProd.role}`)!;
    expect(devToProd.evidence.props).toMatchObject({ environment: 'dev', serviceEnvironment: 'prod' });
    expect(devToProd.remediation).toMatchObject({ mutation: 'revoke', args: { grant: { type: 'HAS_ROLE', from: m.devToProd.identity, to: m.devToProd.role } } });
  });

  it('gives a null owner id, with via NONE, when nobody is accountable', () => {
    const orphan = all.find((f) => f.id === `improper-offboarding:${m.orphanedServiceAccount.identity}:no-owner`)!;
    expect(orphan.owner).toMatchObject({ id: null, via: 'NONE' });
  });

  it('holds at the request’s now, rounded down to the minute, and says at which sequence', async () => {
    const page = await api.data<FindingsPage>(PAGE, { first: 0 });
    expect(page.findings.at).toBe(new Date(Math.floor(NOW.getTime() / 60_000) * 60_000).toISOString());
    expect(page.findings.sequence).toBe(api.projection.sequence);
  });

  it('gives the same ids, in the same order, when asked twice', async () => {
    const again = await api.data<FindingsPage>(PAGE, { first: 500 });
    expect(again.findings.edges.map((e) => e.node.id)).toEqual(all.map((f) => f.id));
  });

  describe('paging', () => {
    it('walks every finding once with first and after, totalCount the whole', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page: FindingsPage = await api.data<FindingsPage>(PAGE, { first: 40, after });
        expect(page.findings.totalCount).toBe(all.length);
        expect(page.findings.pageInfo.hasPreviousPage).toBe(after !== null);
        seen.push(...page.findings.edges.map((e) => e.node.id));
        pages++;
        if (!page.findings.pageInfo.hasNextPage) break;
        after = page.findings.pageInfo.endCursor;
      }
      expect(seen).toEqual(all.map((f) => f.id));
      expect(pages).toBe(Math.ceil(all.length / 40));
    });

    it('refuses a cursor from another list, and one that names a finding not in these findings', async () => {
      const other = await api.data<{ identities: { pageInfo: { endCursor: string } } }>('{ identities(first: 1) { pageInfo { endCursor } } }');
      const [wrongKind] = await api.errors(PAGE, { after: other.identities.pageInfo.endCursor });
      expect(wrongKind).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });

      const critical = await api.data<FindingsPage>(PAGE, { filter: { severities: ['CRITICAL'] }, first: 1 });
      const [notListed] = await api.errors(PAGE, { filter: { severities: ['LOW'] }, after: critical.findings.pageInfo.endCursor });
      expect(notListed).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(notListed!.message).toMatch(/not in these findings/);
    });

    it('refuses first above the cap', async () => {
      const [error] = await api.errors(PAGE, { first: api.limits.maxFirst + 1 });
      expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(error!.message).toMatch(/^first must be a whole number/);
    });
  });

  describe('filters', () => {
    const ids = async (filter: Record<string, unknown>): Promise<string[]> => {
      const page = await api.data<FindingsPage>(PAGE, { filter, first: 500 });
      expect(page.findings.totalCount).toBe(page.findings.edges.length);
      return page.findings.edges.map((e) => e.node.id);
    };

    it('minSeverity keeps that severity and the ones above it', async () => {
      expect(await ids({ minSeverity: 'HIGH' })).toEqual(all.filter((f) => f.severity === 'CRITICAL' || f.severity === 'HIGH').map((f) => f.id));
      expect(await ids({ minSeverity: 'LOW' })).toEqual(all.map((f) => f.id));
    });

    it('severities, owasp and rules keep exactly those', async () => {
      expect(await ids({ severities: ['MEDIUM', 'LOW'] })).toEqual(all.filter((f) => f.severity === 'MEDIUM' || f.severity === 'LOW').map((f) => f.id));
      const nhi8 = await ids({ owasp: ['NHI8'] });
      expect(nhi8).toEqual(all.filter((f) => f.owasp === 'NHI8').map((f) => f.id));
      expect(nhi8).toContain(`environment-isolation:${m.devToProd.identity}:grant:HAS_ROLE:${m.devToProd.role}`);
      expect(await ids({ rules: ['stale-identity', 'guardrail-drift'] })).toEqual(all.filter((f) => f.rule === 'stale-identity' || f.rule === 'guardrail-drift').map((f) => f.id));
    });

    it('subject and owner keep the findings about that node, and those that owner answers for', async () => {
      expect(await ids({ subject: m.staleKey.credential })).toEqual(all.filter((f) => f.subject.id === m.staleKey.credential).map((f) => f.id));
      const ledger = await ids({ owner: 'team:ledger' });
      expect(ledger.length).toBeGreaterThan(0);
      expect(ledger).toEqual(all.filter((f) => f.owner.id === 'team:ledger').map((f) => f.id));
    });

    it('combines conditions: every one must hold', async () => {
      expect(await ids({ owasp: ['NHI7'], owner: 'team:ledger', minSeverity: 'MEDIUM' })).toEqual(
        all.filter((f) => f.owasp === 'NHI7' && f.owner.id === 'team:ledger' && f.severity !== 'LOW').map((f) => f.id),
      );
    });

    it('refuses an unknown rule, naming it and the rules there are', async () => {
      const [error] = await api.errors(PAGE, { filter: { rules: ['secret-leakage', 'no-such-rule'] } });
      expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(error!.message).toMatch(/filter\.rules names unknown rule "no-such-rule"; expected one of improper-offboarding, /);
    });
  });

  describe('since', () => {
    it('gives no status and no since without it', () => {
      expect(all.every((f) => f.status === null)).toBe(true);
    });

    it('marks each finding NEW or STAYED, adds the RESOLVED ones, as the core compares the two instants', async () => {
      const page = await api.data<FindingsPage>(PAGE, { since: '30d', first: 500 });
      const served = page.findings.edges.map((e) => e.node);
      expect(page.findings.since).toBe(new Date(NOW.getTime() - 30 * 86_400_000).toISOString());
      expect(served.filter((f) => f.status !== 'RESOLVED').map((f) => f.id).sort()).toEqual(all.map((f) => f.id).sort());
      const input = await FindingsInput.load(api.store, api.projection, { at: NOW.getTime(), guardrails: loadGuardrails() });
      const core = findingsSince(input, undefined, { at: NOW.getTime(), sinceMs: 30 * 86_400_000 });
      const byStatus = (status: string) => served.filter((f) => f.status === status).map((f) => f.id).sort();
      expect(byStatus('NEW').length).toBeGreaterThan(0);
      expect(byStatus('STAYED').length).toBeGreaterThan(0);
      expect({ NEW: byStatus('NEW'), STAYED: byStatus('STAYED'), RESOLVED: byStatus('RESOLVED') }).toEqual({
        NEW: core.new.map((f) => f.id).sort(),
        STAYED: core.stayed.map((f) => f.id).sort(),
        RESOLVED: core.resolved.map((f) => f.id).sort(),
      });
    });

    it('filters by status', async () => {
      const page = await api.data<FindingsPage>(PAGE, { since: '30d', filter: { statuses: ['NEW', 'RESOLVED'] }, first: 500 });
      expect(page.findings.edges.every((e) => e.node.status === 'NEW' || e.node.status === 'RESOLVED')).toBe(true);
    });

    it('refuses a bad duration, and statuses without since, in one error', async () => {
      const [error] = await api.errors(PAGE, { since: 'a month', filter: { statuses: ['NEW'] } });
      expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(error!.message).toMatch(/since must be a duration such as 30m, 8h or 7d, got "a month"/);
      const [statuses] = await api.errors(PAGE, { filter: { statuses: ['NEW'] } });
      expect(statuses!.message).toMatch(/filter\.statuses needs since/);
    });
  });

  describe('postureSummary', () => {
    it('counts the same findings as findings lists, by severity and by OWASP item', async () => {
      const { postureSummary: summary } = await api.data(SUMMARY);
      expect(summary.total).toBe(all.length);
      expect(summary.bySeverity).toEqual(SEVERITIES.map((severity) => ({ severity, count: all.filter((f) => f.severity === severity).length })));
      const items = ['NHI1', 'NHI2', 'NHI3', 'NHI4', 'NHI5', 'NHI7', 'NHI8', 'NHI9', 'NHI10'];
      expect(summary.byOwasp).toEqual(items.map((owasp) => ({ owasp, count: all.filter((f) => f.owasp === owasp).length })));
      expect(summary.other).toBe(all.filter((f) => f.owasp === null).length);
      expect(summary.sequence).toBe(api.projection.sequence);
    });

    it('agrees with the totalCount of each filter', async () => {
      const { postureSummary: summary } = await api.data(SUMMARY);
      for (const { owasp, count } of summary.byOwasp as { owasp: string; count: number }[]) {
        const page = await api.data<FindingsPage>(PAGE, { filter: { owasp: [owasp] }, first: 0 });
        expect([owasp, page.findings.totalCount]).toEqual([owasp, count]);
      }
    });
  });
});

describe('findings over time and the cost of a run', () => {
  it('makes one run per sequence and minute, shared by findings and postureSummary, and runs again at another instant', async () => {
    const api = await demoApi({ governance: true });
    api.store.reset();
    await api.data(PAGE, { first: 5 });
    await api.data(SUMMARY);
    await api.data(PAGE, { first: 5, filter: { minSeverity: 'HIGH' } });
    expect(api.store.count('scanNodes')).toBe(1);
    expect(api.store.count('scanEdges')).toBe(1);

    const later = new Date(NOW.getTime() + 400 * 86_400_000).toISOString();
    const { postureSummary: then } = await api.data(SUMMARY, { at: later });
    expect(api.store.count('scanNodes')).toBe(2);
    expect(then.at).toBe(later);
    // A year on, more secrets are past their rotation period.
    const { postureSummary: now } = await api.data(SUMMARY);
    expect(then.byOwasp.find((c: { owasp: string }) => c.owasp === 'NHI7').count).toBeGreaterThan(now.byOwasp.find((c: { owasp: string }) => c.owasp === 'NHI7').count);
  });

  it('runs again once the graph changes: the suggested revoke, applied, removes its finding', async () => {
    const api = await demoApi({ governance: true });
    const id = `environment-isolation:${m.devToProd.identity}:grant:HAS_ROLE:${m.devToProd.role}`;
    const before = await api.data<FindingsPage>(PAGE, { filter: { subject: m.devToProd.identity }, first: 50 });
    const finding = before.findings.edges.find((e) => e.node.id === id)!.node;
    expect(finding.remediation.mutation).toBe('revoke');

    const admin = api.as({ subject: 'sec', issuer: 'test', roles: ['central-admin'], services: [] });
    const change = await admin.data<{ revoke: { sequence: number } }>(
      'mutation ($grant: GrantKeyInput!, $reason: String!) { revoke(grant: $grant, reason: $reason) { sequence } }',
      finding.remediation.args,
    );
    const after = await api.data<FindingsPage>(PAGE, { filter: { subject: m.devToProd.identity }, first: 50 });
    expect(after.findings.sequence).toBe(change.revoke.sequence);
    expect(after.findings.edges.map((e) => e.node.id)).not.toContain(id);

    // An hour ago the grant was live: over that hour, the finding is resolved.
    const hour = await api.data<FindingsPage>(PAGE, { filter: { subject: m.devToProd.identity }, since: '1h', first: 50 });
    expect(hour.findings.edges.find((e) => e.node.id === id)?.node.status).toBe('RESOLVED');
  });

  it('keeps a run per thresholds: other thresholds run again and find otherwise', async () => {
    const api = await demoApi();
    const source = { store: api.store, projection: api.projection };
    const defaults = await computedFindings(source, NOW.getTime());
    expect(await computedFindings(source, NOW.getTime())).toBe(defaults);
    const lenient = await computedFindings({ ...source, thresholds: getValidThresholds({ rotationPeriodDays: 10_000 }) }, NOW.getTime());
    const pastRotation = (run: typeof defaults) => run.findings.filter((f) => f.id.endsWith(':past-rotation')).length;
    expect(pastRotation(defaults)).toBeGreaterThan(0);
    expect(pastRotation(lenient)).toBe(0);
  });

  it('counts as a path query and counts its findings against the request’s items', async () => {
    const api = await demoApi({ limits: { maxPathQueries: 1, maxItems: 10 } });
    const [tooMany] = await api.errors('{ findings(first: 0) { totalCount } postureSummary { total } }');
    expect(tooMany!.message).toMatch(/at most 1 path queries/);
    const [tooBig] = await api.errors('{ findings(first: 11) { totalCount } }');
    expect(tooBig!.message).toMatch(/at most 10 items/);
  });

  it('reports no guardrail drift on a server without the write side (no guardrails to judge by)', async () => {
    const api = await demoApi();
    const page = await api.data<FindingsPage>(PAGE, { filter: { rules: ['guardrail-drift'] }, first: 0 });
    expect(page.findings.totalCount).toBe(0);
  });
});

describe('who may read findings', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await demoApi();
  });

  it.each([['analyst'], ['auditor'], ['central-admin']] as const)('%s may', async (role) => {
    const reader = api.as({ subject: 'x', issuer: 'test', roles: [role], services: [] });
    const data = await reader.data<{ findings: { totalCount: number }; postureSummary: { total: number } }>('{ findings(first: 0) { totalCount } postureSummary { total } }');
    expect(data.findings.totalCount).toBe(data.postureSummary.total);
  });

  it.each([
    ['a service owner', ['service-owner']],
    ['a caller without an API role', []],
  ] as const)('%s is FORBIDDEN', async (_who, roles) => {
    const other = api.as({ subject: 'y', issuer: 'test', roles, services: ['svc:payments'] });
    for (const query of ['{ findings { totalCount } }', '{ postureSummary { total } }']) {
      const [error] = await other.errors(query);
      expect(error).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    }
  });
});
