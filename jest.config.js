/**
 * One Jest setup for every workspace: tests sit beside the code in
 * packages/<name>/src and plugins/<name>/src, repository-wide checks in test/,
 * the deployment's checks in deploy/.
 * Type checking is left to `yarn tsc`, so ts-jest only transpiles.
 */
/**
 * A package's own `yarn test` runs Jest from its folder with this config;
 * there, only the package's tests run.
 */
const cwd = process.cwd();
const packageDir = cwd.startsWith(module.path)
  ? cwd.slice(module.path.length + 1).replace(/\\/g, '/')
  : '';
const runsOnePackage = /^(packages|plugins)\/[^/]+$/.test(packageDir);

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  ...(runsOnePackage && { roots: [`<rootDir>/${packageDir}`] }),
  testMatch: [
    '<rootDir>/packages/*/src/**/*.test.ts',
    '<rootDir>/plugins/*/src/**/*.test.ts',
    '<rootDir>/test/**/*.test.ts',
    '<rootDir>/deploy/**/*.test.ts',
  ],
  transform: {
    '^.+\\.ts$': 'ts-jest',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The interop suite has its own install and Jest config (`yarn
  // test:interop`); build/ holds copies of the packages that `yarn
  // build:backend` writes, whose names would clash with the sources'.
  testPathIgnorePatterns: [
    '/node_modules/',
    '/dist/',
    '<rootDir>/test/interop/',
    '<rootDir>/build/',
  ],
  modulePathIgnorePatterns: ['<rootDir>/test/interop/', '<rootDir>/build/'],
  reporters: ['default', '<rootDir>/test/summaryReporter.js'],
  clearMocks: true,
  restoreMocks: true,
};
