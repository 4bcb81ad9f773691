/** Fault drills: one spec file that starts its own 3-broker stack and breaks it on purpose. `npm run test:faults`. */
module.exports = {
  displayName: 'faults',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'],
  setupFiles: ['<rootDir>/test/faults/stack-env.ts'],
  maxWorkers: 1,
  testTimeout: 600_000,
};
