/**
 * The schema built from schema/*.graphql: what it offers, and that its enums are the model's vocabulary.
 * Types are read by shape, not with graphql's `isObjectType`: under vitest the test imports graphql's ESM
 * build while @apollo/subgraph builds the schema with its CommonJS one, and `instanceof` tells them apart.
 */
import type { GraphQLEnumType, GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/graphql/index.js';
import { schemaFiles } from '../../src/graphql/schema-files.js';
import * as vocabulary from '../../src/model/vocabulary.js';

const schema = buildSchema();

describe('buildSchema', () => {
  it('loads one SDL file per area from schema/, not the generated output', () => {
    expect(schemaFiles()).toEqual(['connections.graphql', 'federation.graphql', 'findings.graphql', 'governance.graphql', 'nodes.graphql', 'paths.graphql']);
  });

  it('offers the lookups, listings and path queries at the top level, and the federation fields', () => {
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual([
      '_entities', '_service', 'auditLog', 'blastRadius', 'credential', 'explain', 'findings', 'group', 'guardrailViolations', 'identities', 'identity',
      'node', 'nodes', 'owner', 'path', 'postureSummary', 'reach', 'role', 'scope', 'service', 'services', 'vendor', 'whoCan',
    ]);
  });

  it('has a type per node label, implementing Node', () => {
    for (const label of vocabulary.NODE_LABELS) {
      const type = schema.getType(label) as GraphQLObjectType | undefined;
      expect(type?.constructor.name, label).toBe('GraphQLObjectType');
      expect(type!.getInterfaces().map((i) => i.name)).toEqual(['Node']);
    }
  });

  it('spells every enum exactly as the model does', () => {
    const enums: Record<string, readonly string[]> = {
      IdentityKind: vocabulary.IDENTITY_KINDS,
      IdentityStatus: vocabulary.IDENTITY_STATUSES,
      CredentialKind: vocabulary.CREDENTIAL_KINDS,
      Origin: vocabulary.ORIGINS,
      ScopeLevel: vocabulary.SCOPE_LEVELS,
      Severity: vocabulary.SEVERITIES,
      ServiceStatus: vocabulary.SERVICE_STATUSES,
      OwnerKind: vocabulary.OWNER_KINDS,
      OwnerStatus: vocabulary.OWNER_STATUSES,
      VendorStatus: vocabulary.VENDOR_STATUSES,
      GrantStatus: vocabulary.GRANT_STATUSES,
      EdgeType: vocabulary.EDGE_TYPES,
    };
    for (const [name, values] of Object.entries(enums)) {
      const type = schema.getType(name) as GraphQLEnumType;
      expect(type.getValues().map((v) => v.name), name).toEqual([...values]);
    }
  });

  it('gives every walkable field `first` and `after`', () => {
    for (const label of vocabulary.NODE_LABELS) {
      const type = schema.getType(label) as GraphQLObjectType;
      for (const field of Object.values(type.getFields())) {
        if (!field.type.toString().endsWith('Connection!')) continue;
        expect(field.args.map((a) => a.name), `${label}.${field.name}`).toEqual(['first', 'after']);
        expect(field.args[0]!.defaultValue, `${label}.${field.name}`).toBe(50);
      }
    }
  });
});
