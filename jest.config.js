// Two projects: fast unit tests (no servers), and integration tests that run against the real
// embedded Temporal server and FerretDB, started once for the run by the global setup.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
  ],
};
const common = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/.data/', '<rootDir>/.tools/', '<rootDir>/.venv/'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      setupFiles: ['<rootDir>/test/setup-runtime.ts'],
      // Integration tests run real servers and workers: minutes, not the default 5 s.
      setupFilesAfterEnv: ['<rootDir>/test/setup-timeout.ts'],
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
