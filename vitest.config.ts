import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// docs/examples import the package by name, as users do; tests resolve it to the source.
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^overseer\/machines$/, replacement: source('./machines/index.ts') },
      { find: /^overseer\/testing$/, replacement: source('./src/testing/index.ts') },
      {
        find: /^overseer\/prometheus$/,
        replacement: source('./src/observability/prometheus.ts'),
      },
      { find: /^overseer$/, replacement: source('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests print their seed on failure; CI pins it through FC_SEED.
    setupFiles: ['test/support/fast-check-seed.ts', 'test/support/no-stopped-actor-sends.ts'],
    testTimeout: 30_000,
    // One PostgreSQL server for the run: local, OVERSEER_PG_URL, or a throwaway embedded one.
    globalSetup: ['test/support/postgres-global.ts'],
  },
});
