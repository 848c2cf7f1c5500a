/** Interchange lines for tests: one builder call a line, props overridable. */
import type { EdgeType, NodeLabel } from '../../src/model/vocabulary.js';

const REQUIRED: Partial<Record<NodeLabel, Record<string, unknown>>> = {
  Identity: { kind: 'SERVICE_ACCOUNT' },
  Credential: { kind: 'API_KEY' },
  Role: { origin: 'CENTRAL' },
  Scope: { level: 'READ' },
  Owner: { kind: 'TEAM' },
};

/** A valid node line of `label` (required props filled in), with `props` merged over them. */
export function nodeLine(label: NodeLabel, id: string, props: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'node', label, id, props: { name: id, ...REQUIRED[label], ...props } });
}

export function edgeLine(type: EdgeType | string, from: string, to: string, props: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'edge', label: type, from, to, props });
}

/** A small valid estate: a key that authenticates a service account holding a role that grants a scope. */
export function smallEstate(): string[] {
  return [
    nodeLine('Identity', 'sa:ci', { environment: 'prod', status: 'ACTIVE' }),
    nodeLine('Credential', 'cred:ci-key', { fingerprint: 'sha256:ab12', issuedAt: '2026-01-01T00:00:00Z' }),
    nodeLine('Role', 'role:deploy'),
    nodeLine('Scope', 'scope:payments:deploy', { level: 'ADMIN', sensitivity: 'CRITICAL' }),
    nodeLine('Service', 'svc:payments', { environment: 'prod', criticality: 'CRITICAL' }),
    edgeLine('AUTHENTICATES', 'cred:ci-key', 'sa:ci'),
    edgeLine('HAS_ROLE', 'sa:ci', 'role:deploy', { origin: 'CENTRAL', status: 'ACTIVE', grantedAt: '2026-01-05T10:00:00Z' }),
    edgeLine('GRANTS', 'role:deploy', 'scope:payments:deploy'),
    edgeLine('ON', 'scope:payments:deploy', 'svc:payments'),
  ];
}
