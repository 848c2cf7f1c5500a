/**
 * The store conformance suite against a real Neo4j, when NEO4J_URI names one (with NEO4J_USER,
 * NEO4J_PASSWORD and NEO4J_DATABASE as needed). EVERY RUN EMPTIES THAT DATABASE (`wipe_all`), once per
 * store the suite opens: point it at a scratch database, never at one whose data you want.
 *
 *   NEO4J_URI=bolt://localhost:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=… npx vitest run test/conformance/neo4j.test.ts
 */
import neo4j from 'neo4j-driver';
import { afterAll, describe, it } from 'vitest';
import { neo4jStatement } from '../../src/store/neo4j/neo4j-statements.js';
import { openNeo4jStore, type Neo4jStore } from '../../src/store/neo4j/neo4j-store.js';
import { parseNeo4jUri } from '../../src/store/neo4j/neo4j-uri.js';

const uri = process.env['NEO4J_URI'] ?? '';
const user = process.env['NEO4J_USER'];
const password = process.env['NEO4J_PASSWORD'];
const database = process.env['NEO4J_DATABASE'] || undefined;

if (uri === '') {
  describe('neo4j conformance', () => {
    it.skip('Neo4j conformance skipped: set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to run it', () => {});
  });
} else {
  // Imported only here, so that the skip above never depends on the suite's module.
  const { describeStoreConformance } = await import('./store-conformance.js');
  const opened: Neo4jStore[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
  });

  describeStoreConformance('neo4j', async () => {
    await wipe();
    const store = await openNeo4jStore({
      uri,
      ...(user === undefined ? {} : { user }),
      ...(password === undefined ? {} : { password }),
      ...(database === undefined ? {} : { database }),
    });
    opened.push(store);
    return store;
  });
}

/**
 * Empties the database through a driver of its own, before the store opens (the store then recreates
 * its audit head on first write). Constraints and indexes stay. The store does not share this driver's
 * bookmarks, so against a cluster its first reads could lag the wipe: run the suite on a single server.
 */
async function wipe(): Promise<void> {
  const target = parseNeo4jUri(uri, database);
  const login = user ?? target.user;
  const driver = neo4j.driver(target.driverUri, login === undefined ? undefined : neo4j.auth.basic(login, password ?? target.password ?? ''));
  try {
    await driver.executeQuery(neo4jStatement('wipe_all'), {}, database === undefined ? {} : { database });
  } finally {
    await driver.close();
  }
}
