import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../src/policy/', import.meta.url);

describe('src/policy imports', () => {
  it('take values from model/ and Cedar only, and only types from paths/ and projection/', () => {
    const bad = readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        [...readFileSync(new URL(file, dir), 'utf8').matchAll(/^(import|export)( type)?[^'"]*from '([^']+)'/gm)]
          .filter(([, , typeOnly, spec]) => {
            if (spec!.startsWith('./') || spec!.startsWith('../model/') || spec!.startsWith('node:')) return false;
            if (spec === '@cedar-policy/cedar-wasm/nodejs') return false;
            return !(typeOnly && (spec!.startsWith('../paths/') || spec!.startsWith('../projection/')));
          })
          .map(([, , , spec]) => `${file}: ${spec}`),
      );
    expect(bad).toEqual([]);
  });
});
