/**
 * `npm run schema:print`: writes the subgraph SDL to `schema/generated/idgraph.subgraph.graphql`, the file
 * a platform team composes into its supergraph and CI checks is current.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { printedSchema } from './build-schema.js';
import { PRINTED_SCHEMA_FILE } from './schema-files.js';

/**
 * Writes the printed subgraph SDL to `file` and returns the path written.
 * @example printSchema() // 'schema/generated/idgraph.subgraph.graphql'
 */
export function printSchema(file: string = PRINTED_SCHEMA_FILE): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, printedSchema());
  return file;
}

// Run as a script (tsx src/graphql/print-schema.ts), not when imported.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = printSchema();
  process.stdout.write(`Wrote ${relative(process.cwd(), file)}\n`);
}
