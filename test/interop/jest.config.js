/**
 * The interop suite's own Jest setup. It runs apart from the root's Jest
 * run (which ignores this folder) because its tests need the Backstage
 * packages installed here from package-lock.json: Node resolves
 * `@backstage/*` and express 4 from test/interop/node_modules and `@plinth/*`
 * from the workspace's node_modules one level further up.
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  transform: {
    '^.+\\.ts$': [
      require.resolve('ts-jest'),
      { tsconfig: path.join(__dirname, 'tsconfig.json') },
    ],
    '^.+\\.m?js$': path.join(__dirname, 'esmToCommonJs.js'),
  },
  // Packages that ship only ES modules are loaded through esmToCommonJs.js.
  transformIgnorePatterns: [],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  reporters: ['default', path.join(__dirname, '../summaryReporter.js')],
  // Backends start PGlite or PostgreSQL databases and process catalogs in
  // the background; a case waits for that within its own deadline.
  testTimeout: 120_000,
  // A backend whose start fails half-way can keep its HTTP server open
  // (startTestBackend stops only backends that started), and a failing
  // case must not hang the suite.
  forceExit: true,
  // One line per case, so CI output says which passed.
  verbose: true,
  clearMocks: true,
  restoreMocks: true,
};
