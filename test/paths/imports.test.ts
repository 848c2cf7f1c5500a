import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../src/paths/', import.meta.url);

describe('src/paths imports', () => {
  it('stay inside paths/ and model/: no store driver, GraphQL or projection', () => {
    const bad = readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        [...readFileSync(new URL(file, dir), 'utf8').matchAll(/from '([^']+)'/g)]
          .map((m) => m[1]!)
          .filter((spec) => !spec.startsWith('./') && !spec.startsWith('../model/'))
          .map((spec) => `${file}: ${spec}`),
      );
    expect(bad).toEqual([]);
  });
});
