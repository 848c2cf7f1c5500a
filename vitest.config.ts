import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One graphql module for our code and Apollo's: vite would load graphql's ESM build for src/ and test/,
  // while @apollo/gateway requires its CommonJS build, and graphql refuses types from "another realm".
  resolve: { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Kuzu is a native addon: forks isolate each file's database handles in its own process.
    pool: 'forks',
  },
});
