/**
 * The path queries of the GraphQL API on the demo estate (seed/STORY.md): what they answer, that the
 * answer is the CLI's `--json` document (one serializer), paging of entries, and time travel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli-run.js';
import { tempDir } from '../support/temp-store.js';
import { demoApi, ENTRY_FIELDS, NOW, withoutNulls, type TestApi } from './api.js';

const DAY = 86_400_000;
const RESULT_FIELDS = `subject at maxDepth truncated totalCount sequence stats { visited depthReached truncated }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor } entries { ${ENTRY_FIELDS} }`;

let api: TestApi;
let cliStore: string;

beforeAll(async () => {
  api = await demoApi();
  cliStore = `kuzu:${tempDir()}`;
  const seeded = await cli(['--store', cliStore, 'seed', '--anchor', NOW.toISOString()]);
  expect(seeded.code).toBe(0);
});

/** What `idgraph <argv> --json` prints on the same estate, parsed. */
async function cliJson(argv: readonly string[]): Promise<Record<string, unknown>> {
  const run = await cli(['--store', cliStore, ...argv, '--json']);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** A GraphQL result with only the fields the CLI prints, the nulls JSON leaves out removed. */
function asCliJson(result: Record<string, unknown>): Record<string, unknown> {
  const { totalCount, pageInfo, sequence, ...rest } = result;
  return withoutNulls(rest);
}

describe('blastRadius', () => {
  it('reaches the prod Payments service from the leaked Payments CI key, ranked by impact', async () => {
    const { blastRadius } = await api.data(`{ blastRadius(subject: "cred:payments-ci-key", first: 500) {
      summary { total byLabel { label count } impact } entries { target { id label } impact } } }`);
    const targets = blastRadius.entries.map((e: { target: { id: string } }) => e.target.id);
    expect(targets).toContain('svc:payments');
    expect(targets).toContain('wl:payments-api');
    expect(targets).toContain('cred:payments-settlements-oauth');
    expect(targets[0]).toBe('scope:payments:deploy:admin');
    expect(blastRadius.summary.total).toBe(blastRadius.entries.length);
    expect(blastRadius.summary.byLabel).toContainEqual({ label: 'Credential', count: 6 });
  });

  it('is the document that `idgraph blast-radius --json` prints', async () => {
    const { blastRadius } = await api.data(`{ blastRadius(subject: "cred:payments-ci-key", first: 500) {
      ${RESULT_FIELDS} summary { total byLabel { label count } impact } } }`);
    expect(asCliJson(blastRadius)).toEqual(await cliJson(['blast-radius', 'cred:payments-ci-key']));
  });

  it('is the same as a field of a Service, an Identity, a Credential and a Vendor', async () => {
    const fields = `entries { ${ENTRY_FIELDS} } summary { total impact }`;
    const data = await api.data(`{
      top: blastRadius(subject: "svc:payments", first: 500) { ${fields} }
      service(id: "svc:payments") { blastRadius(first: 500) { ${fields} } }
      topId: blastRadius(subject: "sa:payments-ci", first: 500) { ${fields} }
      identity(id: "sa:payments-ci") { blastRadius(first: 500) { ${fields} } }
      topCred: blastRadius(subject: "cred:payments-ci-key", first: 500) { ${fields} }
      credential(id: "cred:payments-ci-key") { blastRadius(first: 500) { ${fields} } }
      topVendor: blastRadius(subject: "vendor:clearpath", first: 500) { ${fields} }
      vendor(id: "vendor:clearpath") { blastRadius(first: 500) { ${fields} } }
    }`);
    expect(data.service.blastRadius).toEqual(data.top);
    expect(data.identity.blastRadius).toEqual(data.topId);
    expect(data.credential.blastRadius).toEqual(data.topCred);
    expect(data.vendor.blastRadius).toEqual(data.topVendor);
    expect(data.top.summary.total).toBeGreaterThan(0);
  });

  it('pages through every entry with a small first, each exactly once, in order', async () => {
    const all = await api.data(`{ blastRadius(subject: "svc:ci-platform", first: 500) { totalCount entries { target { id } } } }`);
    expect(all.blastRadius.totalCount).toBeGreaterThan(300);
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const { blastRadius }: any = await api.data(
        `query($after: String) { blastRadius(subject: "svc:ci-platform", first: 40, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } entries { target { id } } } }`,
        { after },
      );
      seen.push(...blastRadius.entries.map((e: { target: { id: string } }) => e.target.id));
      if (!blastRadius.pageInfo.hasNextPage) break;
      after = blastRadius.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.blastRadius.entries.map((e: { target: { id: string } }) => e.target.id));
  });

  it('opens a token that has expired when asked as of a time before it expired', async () => {
    const query = `query($at: DateTime) { blastRadius(subject: "cred:checkout-migration-token", at: $at) { totalCount entries { target { id } } } }`;
    expect((await api.data(query)).blastRadius.totalCount).toBe(0);
    const before = await api.data(query, { at: new Date(NOW.getTime() - 40 * DAY).toISOString() });
    expect(before.blastRadius.entries.map((e: { target: { id: string } }) => e.target.id)).toContain('sa:checkout-deployer');
  });
});

describe('reach', () => {
  it('is the document that `idgraph reach --json` prints, with the projection sequence', async () => {
    const { reach } = await api.data(`{ reach(subject: "sa:payments-ci", first: 500) { ${RESULT_FIELDS} } }`);
    expect(asCliJson(reach)).toEqual(await cliJson(['reach', 'sa:payments-ci']));
    expect(reach.sequence).toBe(api.projection.sequence);
    expect(reach.at).toBe(NOW.toISOString());
  });

  it('shows a grant that expired in the past at a time before it expired, and not now', async () => {
    const query = `query($at: DateTime) { identity(id: "human:sven") { reach(at: $at) {
      entries { target { id } accessEndsAt path { steps { type to grant { expiresAt live justification } } } } } } }`;
    const now = await api.data(query);
    expect(now.identity.reach.entries.map((e: any) => e.target.id)).not.toContain('scope:ledger:entries:read');
    const then = await api.data(query, { at: new Date(NOW.getTime() - 20 * DAY).toISOString() });
    const ledger = then.identity.reach.entries.find((e: any) => e.target.id === 'scope:ledger:entries:read');
    const expiresAt = new Date(NOW.getTime() - 10 * DAY).toISOString();
    expect(ledger.accessEndsAt).toBe(expiresAt);
    // The step's grant is the edge as stored; its `live` is at the request's now, when it has expired.
    expect(ledger.path.steps[0]).toEqual({
      type: 'HAS_ROLE',
      to: 'role:ledger-reader',
      grant: { expiresAt, live: false, justification: 'month-end close' },
    });
  });

  it('reaches from a credential as a field of the Credential', async () => {
    const data = await api.data(`{
      top: reach(subject: "cred:ledger-sftp-ssh") { entries { target { id } } }
      credential(id: "cred:ledger-sftp-ssh") { reach { entries { target { id } } } }
    }`);
    expect(data.credential.reach).toEqual(data.top);
    expect(data.top.entries.map((e: any) => e.target.id)).toContain('scope:ledger:entries:write');
  });

  it('says when maxDepth stopped the walk', async () => {
    const { reach } = await api.data(`{ reach(subject: "sa:payments-ci", maxDepth: 1) { maxDepth truncated stats { depthReached truncated } totalCount } }`);
    expect(reach).toEqual({ maxDepth: 1, truncated: true, stats: { depthReached: 1, truncated: true }, totalCount: 0 });
  });
});

describe('whoCan', () => {
  it('lists the six identities that post to the ledger, none of them a person', async () => {
    const { whoCan } = await api.data(`{ whoCan(scope: "scope:ledger:entries:write") {
      entries { target { id ... on Identity { kind } } accessEndsAt } } }`);
    const ids = whoCan.entries.map((e: any) => e.target.id);
    expect(ids.sort()).toEqual(['sa:ledger-ci', 'sa:ledger-deployer', 'sa:ledger-sftp', 'sa:payments-ci', 'sa:recon-batch', 'wl:ledger-api']);
    expect(whoCan.entries.filter((e: any) => e.target.kind === 'HUMAN')).toEqual([]);
    const paymentsCi = whoCan.entries.find((e: any) => e.target.id === 'sa:payments-ci');
    expect(paymentsCi.accessEndsAt).toBe(new Date(NOW.getTime() + 30 * DAY).toISOString());
  });

  it('is the document that `idgraph who-can --json` prints', async () => {
    const { whoCan } = await api.data(`{ whoCan(scope: "scope:ledger:entries:write", first: 500) { ${RESULT_FIELDS} } }`);
    expect(asCliJson(whoCan)).toEqual(await cliJson(['who-can', 'scope:ledger:entries:write']));
  });
});

describe('explain', () => {
  it('shows the AI agent assuming the prod Payments deployer through a LOCAL grant, with its justification', async () => {
    const { explain } = await api.data(`{ explain(identity: "agent:deploy-copilot", scope: "scope:payments:deploy:admin") {
      target shortestRoutes capped accessEndsAt
      entries { path { nodes steps { type origin grant { origin domain grantedBy justification live } } } } } }`);
    expect(explain).toMatchObject({ target: 'scope:payments:deploy:admin', shortestRoutes: 1, capped: false, accessEndsAt: null });
    const [route] = explain.entries;
    expect(route.path.nodes).toEqual(['agent:deploy-copilot', 'sa:payments-deployer', 'role:payments-deployer', 'scope:payments:deploy:admin']);
    expect(route.path.steps[0]).toMatchObject({ type: 'CAN_ASSUME', origin: 'LOCAL', grant: { origin: 'LOCAL', domain: 'svc:payments', live: true } });
    expect(route.path.steps[0].grant.justification).toMatch(/roll back failed releases/);
  });

  it('is the document that `idgraph explain --json` prints', async () => {
    const { explain } = await api.data(`{ explain(identity: "agent:support-copilot", scope: "scope:identity:users:admin", first: 500) {
      ${RESULT_FIELDS} target shortestRoutes accessEndsAt capped } }`);
    expect(asCliJson(explain)).toEqual(await cliJson(['explain', 'agent:support-copilot', 'scope:identity:users:admin']));
  });

  it('caps the routes at maxRoutes and says so', async () => {
    const query = `query($maxRoutes: Int) { explain(identity: "sa:payments-ci", scope: "scope:payments:deploy:admin", maxRoutes: $maxRoutes) {
      capped shortestRoutes totalCount } }`;
    expect((await api.data(query, { maxRoutes: 1 })).explain).toEqual({ capped: true, shortestRoutes: 2, totalCount: 1 });
    expect((await api.data(query)).explain).toMatchObject({ capped: false, shortestRoutes: 2 });
  });
});

describe('path', () => {
  it('walks from the KYC vendor to a CRITICAL identity scope', async () => {
    const { path } = await api.data(`{ path(from: "vendor:clearpath", to: "scope:identity:users:write") {
      totalCount entries { target { id ... on Scope { level sensitivity } } path { nodes steps { type grant { origin } } } } } }`);
    expect(path.totalCount).toBe(1);
    const [entry] = path.entries;
    expect(entry.path.nodes).toEqual([
      'vendor:clearpath', 'sa:clearpath-kyc-sync', 'grp:kyc-partners', 'role:kyc-partner', 'role:identity-writer', 'scope:identity:users:write',
    ]);
    expect(entry.target).toMatchObject({ id: 'scope:identity:users:write', sensitivity: 'CRITICAL' });
    // OPERATES is structural: no grant; MEMBER_OF is a grant.
    expect(entry.path.steps[0]).toEqual({ type: 'OPERATES', grant: null });
    expect(entry.path.steps[1].grant).toEqual({ origin: 'LOCAL' });
  });

  it('is the document that `idgraph path --json` prints', async () => {
    const { path } = await api.data(`{ path(from: "cred:payments-ci-key", to: "svc:payments", first: 500) { ${RESULT_FIELDS} } }`);
    expect(path.entries[0].path.nodes[0]).toBe('cred:payments-ci-key');
    expect(asCliJson(path)).toEqual(await cliJson(['path', 'cred:payments-ci-key', 'svc:payments']));
  });

  it('has no entry when there is no live path', async () => {
    const { path } = await api.data(`{ path(from: "svc:payments", to: "vendor:clearpath") { totalCount entries { routes } pageInfo { hasNextPage endCursor } } }`);
    expect(path).toEqual({ totalCount: 0, entries: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
