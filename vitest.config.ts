import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Kuzu is a native addon: forks isolate each file's database handles in its own process.
    pool: 'forks',
  },
});
