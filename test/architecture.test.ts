/**
 * The layering of DESIGN.md, checked: imports point one way (`model` ← `store` port ← `projection` ←
 * `paths`; `cli` and `server` compose), and only the composition roots pick an adapter.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

/** What each layer may import: folders of src/ and packages. */
const ALLOWED: Record<string, { layers: string[]; packages: RegExp }> = {
  model: { layers: ['model'], packages: /^(node:|zod$)/ },
  paths: { layers: ['model', 'paths'], packages: /^node:/ },
  projection: { layers: ['model', 'paths', 'store/port', 'projection'], packages: /^node:/ },
  store: { layers: ['model', 'store'], packages: /^(node:|kuzu$|neo4j-driver$)/ },
  interchange: { layers: ['model', 'store/port', 'interchange'], packages: /^(node:|csv-parse\/sync$)/ },
  config: { layers: ['model', 'config'], packages: /^(node:|zod$|yaml$)/ },
  auth: { layers: ['model', 'config', 'auth'], packages: /^(node:|jose$)/ },
  policy: { layers: ['model', 'paths', 'projection', 'policy'], packages: /^(node:|@cedar-policy\/cedar-wasm)/ },
  governance: { layers: ['model', 'store/port', 'projection', 'paths', 'policy', 'auth/caller', 'governance'], packages: /^node:/ },
  audit: { layers: ['model', 'store/port', 'audit'], packages: /^node:/ },
  findings: { layers: ['model', 'store/port', 'projection', 'paths', 'policy', 'findings'], packages: /^(node:|zod$)/ },
  gateway: { layers: ['model', 'config/gateway-config', 'store/port', 'projection', 'paths', 'gateway'], packages: /^(node:|graphql$|@apollo\/)/ },
  graphql: { layers: ['model', 'store/port', 'projection', 'paths', 'auth/caller', 'governance', 'findings', 'graphql'], packages: /^(node:|graphql$|graphql-scalars$|graphql-shield$|graphql-middleware$|dataloader$|@apollo\/)/ },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('layering', () => {
  for (const [layer, rule] of Object.entries(ALLOWED)) {
    it(`${layer}/ imports only ${[...rule.layers].join(', ')} and ${rule.packages.source}`, () => {
      const offending: string[] = [];
      for (const file of sourceFiles(join(SRC, layer))) {
        for (const spec of imports(file)) {
          if (spec.startsWith('.')) {
            const target = relative(SRC, join(file, '..', spec)).replace(/\.js$/, '');
            if (!rule.layers.some((l) => target === l || target.startsWith(`${l}/`))) offending.push(`${relative(SRC, file)} → ${target}`);
          } else if (!rule.packages.test(spec)) offending.push(`${relative(SRC, file)} → ${spec}`);
        }
      }
      expect(offending).toEqual([]);
    });
  }

  it('keeps store/counting-store.ts a wrapper over the port, whatever the adapter', () => {
    expect(imports(join(SRC, 'store', 'counting-store.ts')).filter((spec) => /kuzu|neo4j/.test(spec))).toEqual([]);
  });

  it('lets only cli/ and server/ pick a store adapter', () => {
    const pickers = sourceFiles(SRC)
      .filter((file) => imports(file).some((spec) => /store\/(kuzu|neo4j)\//.test(spec)))
      .map((file) => relative(SRC, file))
      .filter((file) => !file.startsWith('store/'));
    expect(pickers.every((file) => file.startsWith('cli/') || file.startsWith('server/'))).toBe(true);
  });

  it('keeps Cypher out of TypeScript', () => {
    const code = (file: string): string =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
        .join('\n');
    const inline = sourceFiles(SRC).filter((file) => /['"`]\s*(MATCH|MERGE|UNWIND|CREATE)\s/.test(code(file)));
    expect(inline.map((f) => relative(SRC, f))).toEqual([]);
  });
});
