/**
 * Credentials as governance records them (issue 5): issue (a record of a credential: its fingerprint,
 * never a secret), rotate (a new fingerprint and expiry, the same id) and revoke. Local owners act on the
 * identities of their own services, central admins on any; every credential must expire (the guardrails).
 */
import { randomBytes } from 'node:crypto';
import { parseDuration } from '../model/duration.js';
import { IdGraphError } from '../model/errors.js';
import type { Props } from '../model/properties.js';
import type { EdgeRecord, NodeRecord } from '../model/records.js';
import { CREDENTIAL_KINDS } from '../model/vocabulary.js';
import { identityFacts, type CredentialAction, type Decision } from '../policy/index.js';
import { actorOf, auditOf, decided, iso, requireLive, withProps } from './decide.js';
import type { Acting, GovernanceDeps } from './grant-mutations.js';

export interface NewCredential {
  readonly identity: string;
  readonly kind: (typeof CREDENTIAL_KINDS)[number];
  /** A hash of the secret (`sha256:<hex>`), never the secret itself. */
  readonly fingerprint: string;
  /** How long until it expires (`90d`); the guardrails require one, at most a year. */
  readonly expiresIn?: string | undefined;
  readonly name?: string | undefined;
}

export interface CredentialOutcome {
  readonly credential: NodeRecord;
  readonly decision: Decision;
  readonly sequence: number;
}

/** `<algorithm>:<hex digest>`: what a fingerprint looks like, so a pasted secret is refused. */
const FINGERPRINT = /^(sha256|sha384|sha512|sha1):[0-9a-f]{16,128}$/;

/** @throws IdGraphError BAD_USER_INPUT; NOT_FOUND; POLICY_DENIED. */
export async function issueCredential(deps: GovernanceDeps, acting: Acting, input: NewCredential): Promise<CredentialOutcome> {
  checkFingerprint(input.fingerprint);
  identityOf(deps, input.identity);
  await requireLive(deps, acting, 'issueCredential', input.identity, [input.identity]);
  const ttlSeconds = input.expiresIn === undefined ? undefined : parseDuration(input.expiresIn, 'expiresIn');
  const id = `cred:${input.identity.replace(/^[a-z]+:/, '')}-${randomBytes(4).toString('hex')}`;
  const decision = await decide(deps, acting, 'issueCredential', id, input.identity, ttlSeconds);
  const props: Props = {
    name: input.name ?? id.slice('cred:'.length),
    kind: input.kind,
    fingerprint: input.fingerprint,
    issuedAt: iso(acting.now),
    ...(ttlSeconds === undefined ? {} : { expiresAt: iso(acting.now + ttlSeconds * 1000) }),
  };
  const credential: NodeRecord = { label: 'Credential', id, props };
  const authenticates: EdgeRecord = { type: 'AUTHENTICATES', from: id, to: input.identity, fromLabel: 'Credential', toLabel: 'Identity', key: '', props: {} };
  const commit = await deps.writer.commit([credential], [authenticates], auditOf(acting, 'issueCredential', [id, input.identity], decision, input.kind));
  return { credential, decision, sequence: commit.sequence };
}

/** A new fingerprint and expiry for the same credential. @throws IdGraphError NOT_FOUND; BAD_USER_INPUT; POLICY_DENIED. */
export async function rotateCredential(deps: GovernanceDeps, acting: Acting, id: string, fingerprint: string, expiresIn: string | undefined): Promise<CredentialOutcome> {
  checkFingerprint(fingerprint);
  const { record, identity } = await credentialOf(deps, id);
  await requireLive(deps, acting, 'rotateCredential', identity, [id, identity]);
  const ttlSeconds = expiresIn === undefined ? undefined : parseDuration(expiresIn, 'expiresIn');
  const decision = await decide(deps, acting, 'rotateCredential', id, identity, ttlSeconds);
  const { expiresAt: _old, ...rest } = record.props;
  const props: Props = { ...rest, fingerprint, rotatedAt: iso(acting.now), ...(ttlSeconds === undefined ? {} : { expiresAt: iso(acting.now + ttlSeconds * 1000) }) };
  const credential: NodeRecord = { ...record, props };
  const commit = await deps.writer.commit([credential], [], auditOf(acting, 'rotateCredential', [id, identity], decision, 'rotated'));
  return { credential, decision, sequence: commit.sequence };
}

/** Revoked now; the record stays. @throws IdGraphError NOT_FOUND; CONFLICT when already revoked; POLICY_DENIED. */
export async function revokeCredential(deps: GovernanceDeps, acting: Acting, id: string, reason: string): Promise<CredentialOutcome> {
  const { record, identity } = await credentialOf(deps, id);
  if (record.props['revokedAt'] !== undefined) throw new IdGraphError('CONFLICT', `Credential "${id}" was revoked at ${String(record.props['revokedAt'])}`);
  const decision = await decide(deps, acting, 'revokeCredential', id, identity, undefined);
  const credential: NodeRecord = { ...record, props: { ...record.props, revokedAt: iso(acting.now) } };
  const commit = await deps.writer.commit([credential], [], auditOf(acting, 'revokeCredential', [id, identity], decision, reason));
  return { credential, decision, sequence: commit.sequence };
}

async function decide(deps: GovernanceDeps, acting: Acting, action: CredentialAction, id: string, identity: string, ttlSeconds: number | undefined): Promise<Decision> {
  const facts = await withProps(deps, (props) => identityFacts(deps.projection, props, identity, acting.now));
  return decided(deps, acting, { action, actor: actorOf(acting), credential: { id, identity: facts }, ttlSeconds }, [id, identity]);
}

function checkFingerprint(fingerprint: string): void {
  if (!FINGERPRINT.test(fingerprint)) {
    const message = 'must be a hash such as sha256:<hex digest>, never the secret itself';
    throw new IdGraphError('BAD_USER_INPUT', `fingerprint ${message}`, { issues: [{ path: 'fingerprint', message }] });
  }
}

function identityOf(deps: GovernanceDeps, id: string): void {
  const node = deps.projection.indexOf(id);
  if (node === undefined) throw new IdGraphError('NOT_FOUND', `No node with id "${id}"`);
  if (deps.projection.labelOf(node) !== 'Identity') throw new IdGraphError('BAD_USER_INPUT', `"${id}" is not an Identity`);
}

/** The stored credential and the identity it authenticates. */
async function credentialOf(deps: GovernanceDeps, id: string): Promise<{ record: NodeRecord; identity: string }> {
  const [record] = await deps.store.getNodes([id]);
  if (record === undefined || record.label !== 'Credential') throw new IdGraphError('NOT_FOUND', `No credential with id "${id}"`);
  let identity: string | undefined;
  deps.projection.forEachOut(deps.projection.indexOf(id)!, (edge) => {
    if (deps.projection.edgeType(edge) === 'AUTHENTICATES') identity ??= deps.projection.idOf(deps.projection.edgeTo(edge));
  });
  if (identity === undefined) throw new IdGraphError('CONFLICT', `Credential "${id}" authenticates no identity`);
  return { record, identity };
}
