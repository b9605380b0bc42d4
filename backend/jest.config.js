/** Backend tests: unit specs beside the code, e2e suites in test/ against a real database. */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }];
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // A global option (ignored inside projects): e2e suites boot the whole app and talk to real databases.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
