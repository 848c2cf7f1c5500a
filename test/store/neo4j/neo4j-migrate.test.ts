/**
 * The Neo4j schema migration without a server: the plan it derives from cypher/neo4j, and, over the
 * recording fake (fake-neo4j.ts), that an open reads what exists once and runs only the DDL that is
 * missing, so that a migrated database costs two round trips and no schema privilege.
 */
import neo4j, { Neo4jError } from 'neo4j-driver';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrateNeo4j, migrationPlan } from '../../../src/store/neo4j/neo4j-migrate.js';
import { FakeNeo4j } from './fake-neo4j.js';

describe('migrationPlan', () => {
  it('creates an id constraint and a _seq index per label, a _seq index per type, and the audit constraints', () => {
    const plan = migrationPlan();
    expect(plan).toHaveLength(8 + 3 + 8 + 11);
    expect(plan.filter((rule) => rule.kind === 'CONSTRAINT' && /REQUIRE n\.id IS UNIQUE/.test(rule.ddl))).toHaveLength(8);
    expect(plan.find((rule) => rule.name === 'Group_id')).toEqual({
      kind: 'CONSTRAINT',
      name: 'Group_id',
      ddl: expect.stringContaining(' Group_id IF NOT EXISTS\nFOR (n:Group) REQUIRE n.id IS UNIQUE'),
    });
    expect(plan.find((rule) => rule.name === 'AuditEvent_writeId')?.ddl).toContain('REQUIRE e.writeId IS UNIQUE');
    expect(plan.filter((rule) => rule.kind === 'INDEX').map((rule) => rule.name)).toContain('MEMBER_OF_seq');
    expect(new Set(plan.map((rule) => rule.name)).size).toBe(plan.length);
    expect(plan.every((rule) => rule.ddl.includes('IF NOT EXISTS'))).toBe(true);
  });
});

describe('migrateNeo4j', () => {
  let fake: FakeNeo4j;
  const options = { bookmarkManager: neo4j.bookmarkManager(), database: 'graph' };
  beforeEach(() => {
    fake = new FakeNeo4j();
  });
  const names = () => fake.runs.map((run) => run.name);

  it('on an empty database, reads what exists once and creates every rule', async () => {
    const created = await migrateNeo4j(fake.driver(), options);
    expect(created).toEqual(migrationPlan());
    expect(names().slice(0, 2)).toEqual(['show_constraints', 'show_indexes']);
    expect(names().slice(2).every((name) => name.startsWith('create_'))).toBe(true);
    expect(names()).toHaveLength(2 + migrationPlan().length);
  });

  it('on a migrated database, runs no DDL: two SHOW round trips', async () => {
    await migrateNeo4j(fake.driver(), options);
    fake.runs.length = 0;
    expect(await migrateNeo4j(fake.driver(), options)).toEqual([]);
    expect(names()).toEqual(['show_constraints', 'show_indexes']);
  });

  it('creates only the rules that are missing, matching constraints and indexes by kind and name', async () => {
    await migrateNeo4j(fake.driver(), options);
    fake.state.constraints.delete('AuditEvent_writeId');
    fake.state.indexes.delete('AuditEvent_writeId');
    fake.state.indexes.delete('HOLDS_seq');
    // An index that has a constraint's name is not that constraint.
    fake.state.constraints.delete('Vendor_id');
    fake.runs.length = 0;
    const created = await migrateNeo4j(fake.driver(), options);
    expect(created.map((rule) => rule.name).sort()).toEqual(['AuditEvent_writeId', 'HOLDS_seq', 'Vendor_id']);
    expect(names()).toEqual(['show_constraints', 'show_indexes', 'create_constraint_node_id', 'create_constraint_audit_write_id', 'create_index_edge_seq']);
  });

  it('runs a DDL statement once more when another instance created the rule first', async () => {
    fake.failOn = { name: 'create_constraint_audit_head', error: new Neo4jError('exists', 'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists', '22N71', 'd') };
    const retried = migrateNeo4j(fake.driver(), options);
    // The second run fails the same way here (the fake keeps failing): the error is the driver's, for the caller to map.
    await expect(retried).rejects.toBeInstanceOf(Neo4jError);
    expect(names().filter((name) => name === 'create_constraint_audit_head')).toHaveLength(2);
  });

  it('fails with the driver error when the server refuses to list the schema', async () => {
    fake.failOn = { name: 'show_constraints', error: new Neo4jError('denied', 'Neo.ClientError.Security.Forbidden', '42NFF', 'd') };
    await expect(migrateNeo4j(fake.driver(), options)).rejects.toMatchObject({ code: 'Neo.ClientError.Security.Forbidden' });
    expect(names()).toEqual(['show_constraints']);
  });
});
