/** Unit specs sit beside the code; end-to-end specs run against the native stack, started once for the suite. */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] };

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/{apps,libs,deploy,bench}/**/src/**/*.spec.ts'],
    },
    {
      displayName: 'deploy',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/deploy/**/*.spec.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
      slowTestThreshold: 60,
    },
  ],
  // One stack for the whole suite: files run one after another so their counts do not interleave.
  maxWorkers: 1,
  testTimeout: 180_000,
};
