/**
 * The SDL of the API: the `.graphql` files at the top level of the package's `schema/` folder (DESIGN.md:
 * one file per area), the single source of the schema. `schema/generated/` holds the printed subgraph
 * SDL, an output, and is not read back.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, Source, parse, type DocumentNode } from 'graphql';
import { IdGraphError } from '../model/errors.js';

/** The package's `schema/` folder: the nearest one above this file, whether it runs from `src/` or `dist/`. */
export const SCHEMA_DIR = findUp(dirname(fileURLToPath(import.meta.url)), 'schema');

/** Where `npm run schema:print` writes the subgraph SDL, and where CI checks that it is current. */
export const PRINTED_SCHEMA_FILE = join(SCHEMA_DIR, 'generated', 'idgraph.subgraph.graphql');

/** The SDL files, by name. */
export function schemaFiles(): string[] {
  return readdirSync(SCHEMA_DIR, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.graphql'))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Every SDL file parsed into one document, each definition located in its own file.
 * @throws GraphQLError naming the file when one does not parse.
 */
export function loadTypeDefs(): DocumentNode {
  const documents = schemaFiles().map((name) => parse(new Source(readFileSync(join(SCHEMA_DIR, name), 'utf8'), `schema/${name}`)));
  return { kind: Kind.DOCUMENT, definitions: documents.flatMap((d) => d.definitions) };
}

function findUp(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new IdGraphError('INTERNAL', `No ${name}/ folder above ${from}`);
  }
}
