/**
 * One Jest setup for every workspace: tests sit beside the code in
 * packages/<name>/src and plugins/<name>/src, repository-wide checks in test/.
 * Type checking is left to `yarn tsc`, so ts-jest only transpiles.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: [
    '<rootDir>/packages/*/src/**/*.test.ts',
    '<rootDir>/plugins/*/src/**/*.test.ts',
    '<rootDir>/test/**/*.test.ts',
  ],
  transform: {
    '^.+\\.ts$': 'ts-jest',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  reporters: ['default', '<rootDir>/test/summaryReporter.js'],
  clearMocks: true,
  restoreMocks: true,
};
