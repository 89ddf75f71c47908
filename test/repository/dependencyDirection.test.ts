import fs from 'node:fs';
import path from 'node:path';
import {
  listSourceFiles,
  readWorkspacePackages,
  repositoryRoot,
} from './workspacePackages';

/**
 * Which workspace packages each package may depend on at run time, from
 * the style guide. Every package may use `@plinth/errors`. Patterns ending in
 * `*` match a folder prefix.
 */
const allowedEdges: Record<string, string[] | 'any'> = {
  'packages/errors': [],
  'packages/backend-plugin-api': [],
  'packages/backend-app-api': ['@plinth/backend-plugin-api'],
  'packages/backend-defaults': [
    '@plinth/backend-app-api',
    '@plinth/backend-plugin-api',
  ],
  'packages/backend-test-utils': [
    '@plinth/backend-defaults',
    '@plinth/backend-app-api',
    '@plinth/backend-plugin-api',
  ],
  'packages/catalog-model': [],
  'plugins/catalog-node': [
    '@plinth/backend-plugin-api',
    '@plinth/catalog-model',
  ],
  'plugins/catalog-backend': [
    '@plinth/plugin-catalog-node',
    '@plinth/catalog-model',
    '@plinth/backend-plugin-api',
  ],
  'plugins/catalog-backend-module-*': [
    '@plinth/plugin-catalog-node',
    '@plinth/catalog-model',
    '@plinth/backend-plugin-api',
  ],
  'packages/cli': [],
  'packages/backend': 'any',
};

/** Packages whose only third-party dependencies may be type declarations. */
const dependencyFree = [
  'packages/backend-plugin-api',
  'packages/backend-app-api',
];

/** `import ... from 'x'` and `export ... from 'x'` statements. */
const importPattern = /^(?:import|export)\b[^;]*?from '([^']+)'/gms;
/** Imports that load code at run time, not `import type`. */
const valueImportPattern = /^import (?!type )[^;]*?from '([^']+)'/gms;

function allowedFor(dir: string): string[] | 'any' | undefined {
  return (
    allowedEdges[dir] ??
    Object.entries(allowedEdges).find(
      ([pattern]) =>
        pattern.endsWith('*') && dir.startsWith(pattern.slice(0, -1)),
    )?.[1]
  );
}

const packages = readWorkspacePackages();

describe('dependency direction', () => {
  it.each(packages.map(p => [p.dir, p] as const))(
    '%s depends only on the packages the style guide allows',
    (dir, pkg) => {
      const allowed = allowedFor(dir);
      expect({ dir, known: allowed !== undefined }).toEqual({
        dir,
        known: true,
      });
      const internal = Object.keys({
        ...pkg.dependencies,
        ...pkg.peerDependencies,
      }).filter(
        name => name.startsWith('@plinth/') && name !== '@plinth/errors',
      );
      const forbidden =
        allowed === 'any'
          ? []
          : internal.filter(name => !allowed!.includes(name));
      expect(forbidden).toEqual([]);
    },
  );

  it.each(packages.map(p => [p.dir, p] as const))(
    '%s uses other workspace packages in tests only where the runtime edges allow, plus backend-test-utils',
    (dir, pkg) => {
      const allowed = allowedFor(dir);
      // Tests boot real backends with startTestBackend, as the style guide
      // asks, so any package's tests may use backend-test-utils.
      const forbidden = Object.keys(pkg.devDependencies).filter(
        name =>
          name.startsWith('@plinth/') &&
          name !== '@plinth/errors' &&
          name !== '@plinth/backend-test-utils' &&
          allowed !== 'any' &&
          !allowed?.includes(name),
      );
      expect(forbidden).toEqual([]);
    },
  );

  it.each(dependencyFree.map(dir => [dir]))(
    '%s has no runtime dependency beyond our own packages',
    dir => {
      const pkg = packages.find(p => p.dir === dir)!;
      const thirdParty = Object.keys(pkg.dependencies).filter(
        name => !name.startsWith('@plinth/') && !name.startsWith('@types/'),
      );
      expect(thirdParty).toEqual([]);
      for (const file of listSourceFiles(dir)) {
        const source = fs.readFileSync(path.join(repositoryRoot, file), 'utf8');
        const valueImports = [...source.matchAll(valueImportPattern)]
          .map(match => match[1])
          .filter(
            spec =>
              !spec.startsWith('.') &&
              !spec.startsWith('@plinth/') &&
              !spec.startsWith('node:'),
          );
        expect({ file, valueImports }).toEqual({ file, valueImports: [] });
      }
    },
  );

  it.each(packages.map(p => [p.dir, p] as const))(
    '%s imports only packages it declares, and no other package by relative path',
    (dir, pkg) => {
      const declared = new Set([
        pkg.name,
        ...Object.keys(pkg.dependencies),
        ...Object.keys(pkg.peerDependencies),
      ]);
      for (const file of listSourceFiles(dir)) {
        const source = fs.readFileSync(path.join(repositoryRoot, file), 'utf8');
        for (const [, spec] of source.matchAll(importPattern)) {
          if (spec.startsWith('.')) {
            const target = path.relative(
              path.join(repositoryRoot, dir),
              path.resolve(path.dirname(path.join(repositoryRoot, file)), spec),
            );
            expect({ file, spec, escapes: target.startsWith('..') }).toEqual({
              file,
              spec,
              escapes: false,
            });
          } else if (spec.startsWith('@plinth/')) {
            const name = spec.split('/').slice(0, 2).join('/');
            expect({ file, spec, declared: declared.has(name) }).toEqual({
              file,
              spec,
              declared: true,
            });
          }
        }
      }
    },
  );
});
