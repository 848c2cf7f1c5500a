/**
 * The store conformance suite against the Neo4j adapter over the in-memory stand-in for a server
 * (test/store/neo4j/fake-neo4j.ts), which runs everywhere. It holds the adapter's own logic (grouping,
 * paging, the audit chain, the label check, rollback, conversions) to the same contract as every
 * store; the Cypher's behaviour on a real server is neo4j.test.ts's, when NEO4J_URI is set.
 */
import neo4j from 'neo4j-driver';
import { Neo4jStore } from '../../src/store/neo4j/neo4j-store.js';
import { FakeNeo4j } from '../store/neo4j/fake-neo4j.js';
import { describeStoreConformance } from './store-conformance.js';

describeStoreConformance('neo4j over a fake server', async () => {
  const fake = new FakeNeo4j();
  return new Neo4jStore(fake.driver(), 'bolt://fake:7687', undefined, neo4j.bookmarkManager());
});
