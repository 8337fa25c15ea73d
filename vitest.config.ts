import { defineConfig } from 'vitest/config';

// Unit, parity and property tests run in Node; browser tests live in e2e/ (Playwright).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
