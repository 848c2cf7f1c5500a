/**
 * Northwind Pay's people and structure: the teams that own things, a few accountable people, the humans
 * and their nested groups, and the central roles that the security team defines. Service-local roles
 * are generated in `services.ts`.
 */
import { invariant } from '../../src/model/errors.js';
import type { EstateBuilder } from './estate-builder.js';

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  /** The group its people belong to. */
  readonly group: string;
  /** Who grants the team's local roles. */
  readonly lead: string;
  readonly engineering: boolean;
}

/** The central security team's lead: the grantor of central grants. */
export const SECURITY_LEAD = 'human:priya';

export const TEAMS: readonly Team[] = [
  team('payments', 'Payments', 'human:alice', true),
  team('ledger', 'Ledger & Settlements', 'human:chen', true),
  team('checkout', 'Checkout & Merchants', 'human:emeka', true),
  team('identity', 'Identity & KYC', 'human:gustav', true),
  team('data', 'Data & Risk ML', 'human:ivan', true),
  team('platform', 'Platform (CI, observability)', 'human:kofi', true),
  team('support', 'Customer Support', 'human:nadia', false),
  team('security', 'Security', SECURITY_LEAD, false),
];

const PEOPLE = [
  { id: 'person:amara-osei', name: 'Amara Osei', description: 'VP Engineering' },
  { id: 'person:lena-fischer', name: 'Lena Fischer', description: 'CISO' },
  { id: 'person:raj-patel', name: 'Raj Patel', description: 'Head of Data' },
  { id: 'person:tomas-novak', name: 'Tomas Novak', description: 'Head of Platform' },
] as const;

interface Human {
  readonly slug: string;
  readonly name: string;
  readonly team: string;
  readonly groups?: readonly string[];
  readonly disabled?: boolean;
}

const HUMANS: readonly Human[] = [
  { slug: 'alice', name: 'Alice Moreau', team: 'payments', groups: ['grp:oncall'] },
  { slug: 'bilal', name: 'Bilal Haddad', team: 'payments' },
  { slug: 'sven', name: 'Sven Lindqvist', team: 'payments' },
  { slug: 'chen', name: 'Chen Wei', team: 'ledger', groups: ['grp:oncall'] },
  { slug: 'dana', name: 'Dana Kowalski', team: 'ledger' },
  { slug: 'victor', name: 'Victor Hale', team: 'ledger', disabled: true },
  { slug: 'emeka', name: 'Emeka Nwosu', team: 'checkout' },
  { slug: 'fatima', name: 'Fatima Zahra', team: 'checkout' },
  { slug: 'uma', name: 'Uma Raman', team: 'checkout' },
  { slug: 'gustav', name: 'Gustav Berg', team: 'identity' },
  { slug: 'hana', name: 'Hana Sato', team: 'identity' },
  { slug: 'ivan', name: 'Ivan Petrov', team: 'data' },
  { slug: 'jia', name: 'Jia Li', team: 'data' },
  { slug: 'tara', name: 'Tara Quinn', team: 'data' },
  { slug: 'kofi', name: 'Kofi Mensah', team: 'platform', groups: ['grp:platform-admins'] },
  { slug: 'lucia', name: 'Lucia Romero', team: 'platform', groups: ['grp:oncall'] },
  { slug: 'mateo', name: 'Mateo Silva', team: 'platform', groups: ['grp:platform-admins'] },
  { slug: 'nadia', name: 'Nadia Karim', team: 'support' },
  { slug: 'oskar', name: 'Oskar Nilsen', team: 'support' },
  { slug: 'rosa', name: 'Rosa Ortega', team: 'support' },
  { slug: 'priya', name: 'Priya Natarajan', team: 'security' },
  { slug: 'quinn', name: 'Quinn Adler', team: 'security' },
];

/** Owners, groups (nested), the central role ladder and the humans with their memberships. */
export function addOrganisation(b: EstateBuilder): void {
  for (const t of TEAMS) b.owner(t.id, { kind: 'TEAM', name: t.name, email: t.email });
  for (const p of PEOPLE) b.owner(p.id, { kind: 'PERSON', name: p.name, email: emailOf(p.name), description: p.description });

  addGroups(b);
  addCentralRoles(b);

  for (const h of HUMANS) {
    const id = `human:${h.slug}`;
    const team = teamOf(h.team);
    b.identity(id, {
      kind: 'HUMAN',
      environment: 'corp',
      owner: team.id,
      name: h.name,
      ...(h.disabled ? { status: 'DISABLED' as const, lastSeenDaysAgo: 63, description: 'Left the company; account disabled at offboarding' } : {}),
    });
    // Offboarding disabled Victor but left his memberships: not live, because the node is not.
    b.grant('MEMBER_OF', id, team.group, { by: SECURITY_LEAD, justification: `joined ${team.name}` });
    for (const group of h.groups ?? []) b.grant('MEMBER_OF', id, group, { by: team.lead, justification: 'rotation' });
  }
  b.grant('HAS_ROLE', 'human:lucia', 'role:sre', { by: SECURITY_LEAD, expiresInDays: 21, justification: 'SRE cover during the datacenter move' });
}

function addGroups(b: EstateBuilder): void {
  b.group('grp:all-staff', 'Everyone at Northwind Pay');
  b.group('grp:engineering', 'All engineers');
  b.group('grp:oncall', 'The production on-call rotation');
  b.group('grp:platform-admins', 'Administrators of CI and observability');
  b.group('grp:ci-runners', 'CI service accounts that run pipelines');
  b.grant('MEMBER_OF', 'grp:engineering', 'grp:all-staff', { by: SECURITY_LEAD });
  b.grant('MEMBER_OF', 'grp:oncall', 'grp:engineering', { by: SECURITY_LEAD });
  b.grant('MEMBER_OF', 'grp:platform-admins', 'grp:oncall', { by: SECURITY_LEAD, justification: 'platform admins carry the pager' });
  for (const t of TEAMS) {
    b.group(t.group, `${t.name} team`);
    b.grant('MEMBER_OF', t.group, t.engineering ? 'grp:engineering' : 'grp:all-staff', { by: SECURITY_LEAD });
  }
}

/**
 * The central ladder, four INHERITS deep: platform-admin → sre → oncall → engineer → viewer, each rung
 * adding scopes to the one below.
 */
function addCentralRoles(b: EstateBuilder): void {
  b.role('role:viewer', { grants: ['scope:observability:dashboards:read'], description: 'Read dashboards' });
  b.role('role:engineer', { inherits: ['role:viewer'], grants: ['scope:ci-platform:pipelines:read'] });
  b.role('role:oncall', { inherits: ['role:engineer'], grants: ['scope:observability:dashboards:write'] });
  b.role('role:sre', { inherits: ['role:oncall'], grants: ['scope:ci-platform:pipelines:write'] });
  b.role('role:platform-admin', {
    inherits: ['role:sre'],
    grants: ['scope:ci-platform:deploy:admin', 'scope:observability:deploy:admin'],
    description: 'Administers CI and observability',
  });
  b.role('role:security-auditor', { description: 'Reads every production service (scopes added per service)' });
  b.role('role:ci-runner', { grants: ['scope:ci-platform:pipelines:write'], description: 'Runs pipelines and publishes artifacts' });

  b.grant('HAS_ROLE', 'grp:all-staff', 'role:viewer', { by: SECURITY_LEAD });
  b.grant('HAS_ROLE', 'grp:engineering', 'role:engineer', { by: SECURITY_LEAD });
  b.grant('HAS_ROLE', 'grp:oncall', 'role:oncall', { by: SECURITY_LEAD });
  b.grant('HAS_ROLE', 'grp:platform-admins', 'role:platform-admin', {
    by: 'person:lena-fischer',
    expiresInDays: 60,
    justification: 'quarterly recertification of platform administrators',
  });
  b.grant('HAS_ROLE', 'grp:security', 'role:security-auditor', { by: 'person:lena-fischer' });
  b.grant('HAS_ROLE', 'grp:ci-runners', 'role:ci-runner', { by: 'human:kofi' });
}

export function teamOf(slug: string): Team {
  const found = TEAMS.find((t) => t.id === `team:${slug}`);
  invariant(found !== undefined, `team "${slug}" is in the demo estate`);
  return found;
}

function team(slug: string, name: string, lead: string, engineering: boolean): Team {
  return { id: `team:${slug}`, name, email: `${slug}-team@northwind-pay.example`, group: `grp:${slug}`, lead, engineering };
}

function emailOf(name: string): string {
  return `${name.toLowerCase().replace(/ /g, '.')}@northwind-pay.example`;
}
