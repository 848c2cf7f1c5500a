/**
 * The properties each label and edge type may carry, as zod schemas. Unknown properties are errors
 * (strict objects), so a typo in an import file is reported instead of silently stored.
 */
import { z } from 'zod';
import {
  CREDENTIAL_KINDS,
  GRANT_STATUSES,
  IDENTITY_KINDS,
  IDENTITY_STATUSES,
  ORIGINS,
  OWNER_KINDS,
  OWNER_STATUSES,
  SCOPE_LEVELS,
  SERVICE_STATUSES,
  SEVERITIES,
  VENDOR_STATUSES,
  type EdgeType,
  type NodeLabel,
} from './vocabulary.js';

/** An ISO-8601 time with a zone (`Z` or an offset), as the interchange format requires. */
export const dateTime = z.iso.datetime({ offset: true, message: 'expected an ISO-8601 time with a zone, e.g. 2026-01-05T10:00:00Z' });
const text = z.string().min(1, 'must not be empty');

const nodeCommon = {
  name: text,
  description: z.string().optional(),
  createdAt: dateTime.optional(),
  updatedAt: dateTime.optional(),
};

export const NODE_PROPS = {
  Identity: z.strictObject({
    ...nodeCommon,
    kind: z.enum(IDENTITY_KINDS),
    environment: text.optional(),
    status: z.enum(IDENTITY_STATUSES).optional(),
    lastSeenAt: dateTime.optional(),
  }),
  Credential: z.strictObject({
    ...nodeCommon,
    kind: z.enum(CREDENTIAL_KINDS),
    fingerprint: text.optional(),
    issuedAt: dateTime.optional(),
    expiresAt: dateTime.optional(),
    rotatedAt: dateTime.optional(),
    lastUsedAt: dateTime.optional(),
    revokedAt: dateTime.optional(),
  }),
  Group: z.strictObject({ ...nodeCommon }),
  Role: z
    .strictObject({ ...nodeCommon, origin: z.enum(ORIGINS), service: text.optional() })
    .refine((role) => role.origin !== 'LOCAL' || role.service !== undefined, {
      message: 'a LOCAL role must name its owning service',
      path: ['service'],
    }),
  Scope: z.strictObject({
    ...nodeCommon,
    level: z.enum(SCOPE_LEVELS),
    sensitivity: z.enum(SEVERITIES).optional(),
    origin: z.enum(ORIGINS).optional(),
  }),
  Service: z.strictObject({
    ...nodeCommon,
    environment: text.optional(),
    criticality: z.enum(SEVERITIES).optional(),
    status: z.enum(SERVICE_STATUSES).optional(),
  }),
  Owner: z.strictObject({
    ...nodeCommon,
    kind: z.enum(OWNER_KINDS),
    email: z.email().optional(),
    status: z.enum(OWNER_STATUSES).optional(),
  }),
  Vendor: z.strictObject({ ...nodeCommon, status: z.enum(VENDOR_STATUSES).optional() }),
} satisfies Record<NodeLabel, z.ZodType>;

const edgeCommon = {
  /** Distinguishes parallel edges of one type between the same two nodes. */
  id: text.optional(),
  createdAt: dateTime.optional(),
  updatedAt: dateTime.optional(),
};

const grantProps = {
  ...edgeCommon,
  origin: z.enum(ORIGINS).optional(),
  domain: text.optional(),
  status: z.enum(GRANT_STATUSES).optional(),
  grantedBy: text.optional(),
  grantedAt: dateTime.optional(),
  expiresAt: dateTime.optional(),
  revokedAt: dateTime.optional(),
  revokedBy: text.optional(),
  justification: z.string().optional(),
  lastUsedAt: dateTime.optional(),
};

const grantEdge = z.strictObject(grantProps);
const plainEdge = z.strictObject(edgeCommon);
/** Ownership ends like a grant (a reassignment revokes the old edge), so it carries validity too. */
const ownershipEdge = z.strictObject({
  ...edgeCommon,
  status: z.enum(GRANT_STATUSES).optional(),
  grantedAt: dateTime.optional(),
  revokedAt: dateTime.optional(),
  revokedBy: text.optional(),
});

/**
 * Grants and role definitions (INHERITS, GRANTS) carry origin and validity, so a local role definition
 * can be scoped and revoked like a grant; ownership carries validity; the other edges are structural.
 */
export const EDGE_PROPS = {
  OWNS: ownershipEdge,
  OPERATES: plainEdge,
  AUTHENTICATES: plainEdge,
  MEMBER_OF: grantEdge,
  HAS_ROLE: grantEdge,
  INHERITS: grantEdge,
  GRANTS: grantEdge,
  ON: plainEdge,
  CAN_ASSUME: grantEdge,
  RUNS_AS: plainEdge,
  HOLDS: plainEdge,
} satisfies Record<EdgeType, z.ZodType>;

/** A node's or edge's properties as stored: JSON values keyed by property name. */
export type Props = Readonly<Record<string, unknown>>;
