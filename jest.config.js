/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type-checking happens once in `npm run typecheck`; here we only transpile.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // hyparquet and hyparquet-writer (Parquet export) ship ES modules only: compiled to CommonJS for jest.
    '/node_modules/hyparquet(-writer)?/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!hyparquet(-writer)?/)'],
  testTimeout: 30000,
  // Rebuilds dist/ when it is older than the sources: the tests run the bundled worker scripts, as the CLI does.
  globalSetup: '<rootDir>/test/support/global-setup.js',
  // jest's summary, then the plain 'N passed, N failed' line CI reads.
  reporters: ['default', '<rootDir>/test/support/closing-line-reporter.js'],
};
