import { defineConfig } from 'vitest/config';

// Pure rules and the emulator run once; everything that touches a database runs on SQLite and
// on PostgreSQL (TEST_DB), so one `npm test` proves both.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // CI reads the JSON report to print its one-line summary (see .ci/run).
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/emulator/**/*.test.ts'] } },
      { extends: true, test: { name: 'sqlite', include: ['tests/integration/**/*.test.ts'], env: { TEST_DB: 'sqlite' } } },
      // The journey and the review once more with form callbacks as Lark's example shows them (the
      // submit button's value sent, every input present); the other projects send only what the
      // documentation promises (routing by name, empty inputs left out).
      {
        extends: true,
        test: {
          name: 'forms-full',
          include: ['tests/integration/journey*.test.ts', 'tests/integration/review.test.ts'],
          env: { TEST_DB: 'sqlite', FORM_CALLBACKS: 'full' },
        },
      },
      // Hostile input, crashes and a misbehaving Lark (npm run test:reliability prints the summary).
      { extends: true, test: { name: 'reliability', include: ['tests/reliability/**/*.test.ts'], env: { TEST_DB: 'sqlite' }, testTimeout: 300_000 } },
      // The playground in Debian's chromium, against the bot started as `npm start` would.
      { extends: true, test: { name: 'browser', include: ['tests/browser/**/*.test.ts'], testTimeout: 180_000 } },
      // Bureaus run their servers on Beijing time: the PostgreSQL pass proves timestamps survive it.
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['tests/integration/**/*.test.ts', 'tests/postgres/**/*.test.ts'],
          env: { TEST_DB: 'postgres', TZ: 'Asia/Shanghai' },
        },
      },
    ],
  },
});
