/**
 * The accountable owner of a finding's subject: who must act. OWNS is walked to the subject, and from a
 * subject that has no owner of its own to what it belongs to (a credential to the identity it
 * authenticates, an identity to a service that runs as it). A person who is not ACTIVE cannot act, so a
 * team stands in: one that owns the same subject, else one that owns what it belongs to.
 */
import type { NodeRecord } from '../model/records.js';
import type { FindingOwner } from './finding.js';
import type { FindingsInput } from './input.js';

/** The owners of a node by live OWNS edges, by id (active or not). */
export function ownersOf(input: FindingsInput, id: string): NodeRecord[] {
  const owners: NodeRecord[] = [];
  for (const edge of input.in(id, 'OWNS')) {
    if (!input.isEdgeLiveIgnoringEnds(edge)) continue;
    const owner = input.node(edge.from);
    if (owner !== undefined) owners.push(owner);
  }
  return owners;
}

/** An owner who can act: ACTIVE, or with no status. */
export function isActiveOwner(owner: NodeRecord): boolean {
  const status = owner.props['status'];
  return status === undefined || status === 'ACTIVE';
}

/**
 * @example accountableOwner(input, 'cred:ci-key') // { id: 'team:payments', name: 'Payments', via: 'OWNS' }
 */
export function accountableOwner(input: FindingsInput, subjectId: string): FindingOwner {
  const chain = ownershipChain(input, subjectId);
  const departed: NodeRecord[] = [];
  for (const target of chain) {
    const owners = ownersOf(input, target);
    if (owners.length === 0) continue;
    const active = owners.filter(isActiveOwner);
    const gone = owners.filter((o) => !isActiveOwner(o));
    for (const o of gone) if (!departed.includes(o)) departed.push(o);
    const team = active.find((o) => o.props['kind'] === 'TEAM');
    const chosen = team ?? active[0];
    if (chosen !== undefined) {
      if (departed.length === 0) return ownerOf(chosen, 'OWNS');
      const note = `${describe(departed)} ${departed.length === 1 ? 'is' : 'are'} not ACTIVE; ${chosen.id} owns ${target}`;
      return ownerOf(chosen, chosen === team ? 'team' : 'OWNS', note);
    }
    // Only people who cannot act own this one: look further along the chain for a team.
  }
  if (departed.length > 0) return { id: '', via: 'none', note: `${describe(departed)} ${departed.length === 1 ? 'is' : 'are'} not ACTIVE and no team stands in` };
  return { id: '', via: 'none', note: `nothing owns ${subjectId}` };
}

/** The subject, then what it belongs to: a credential's identities, an identity's services (by id). */
function ownershipChain(input: FindingsInput, id: string): string[] {
  const label = input.node(id)?.label;
  if (label === 'Credential') {
    const identities = input.out(id, 'AUTHENTICATES').map((e) => e.to);
    return [id, ...identities, ...identities.flatMap((identity) => servicesRunningAs(input, identity))];
  }
  if (label === 'Identity') return [id, ...servicesRunningAs(input, id)];
  return [id];
}

function servicesRunningAs(input: FindingsInput, identity: string): string[] {
  return input.in(identity, 'RUNS_AS').map((e) => e.from);
}

function ownerOf(owner: NodeRecord, via: FindingOwner['via'], note?: string): FindingOwner {
  const name = owner.props['name'];
  return {
    id: owner.id,
    ...(typeof name === 'string' ? { name } : {}),
    via,
    ...(note === undefined ? {} : { note }),
  };
}

function describe(owners: readonly NodeRecord[]): string {
  return owners.map((o) => `${o.id} (${String(o.props['status'] ?? 'ACTIVE')})`).join(', ');
}
