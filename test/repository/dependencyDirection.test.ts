import fs from 'node:fs';
import path from 'node:path';
import {
  listSourceFiles,
  readWorkspacePackages,
  repositoryRoot,
} from './workspacePackages';

/**
 * Which workspace packages each package may depend on at run time, from
 * the style guide. Every package may use `@plinth/errors`. A `*` in a
 * folder pattern matches any part of a folder name; entries are tried in
 * order, so exact folders come before the patterns `yarn new` packages
 * fall under. An allowed name ending in `*` matches a name prefix, and
 * `<id>` stands for the plugin id of a module's folder.
 */
const allowedEdges: Array<[string, string[] | 'any']> = [
  ['packages/errors', []],
  // The permissions services' contracts are written in the permission
  // types, as Backstage's plugin API depends on its permission packages.
  ['packages/backend-plugin-api', ['@plinth/plugin-permission-common']],
  // Types and wire formats only, for plugins and the permission backend.
  ['plugins/permission-common', []],
  ['packages/backend-app-api', ['@plinth/backend-plugin-api']],
  [
    'packages/backend-defaults',
    [
      '@plinth/backend-app-api',
      '@plinth/backend-plugin-api',
      '@plinth/plugin-permission-common',
      // The default events service implements eventsServiceRef with the
      // database, as Backstage's backend-defaults depends on its events-node.
      '@plinth/plugin-events-node',
    ],
  ],
  [
    'packages/backend-test-utils',
    [
      '@plinth/backend-defaults',
      '@plinth/backend-app-api',
      '@plinth/backend-plugin-api',
      '@plinth/plugin-permission-common',
      // mockServices.events, as Backstage's backend-test-utils depends on
      // its events-node for the same mock.
      '@plinth/plugin-events-node',
    ],
  ],
  ['packages/catalog-model', []],
  ['packages/cli', []],
  ['packages/backend', 'any'],
  [
    'plugins/catalog-node',
    [
      '@plinth/backend-plugin-api',
      '@plinth/catalog-model',
      '@plinth/plugin-permission-common',
      // catalogConditions are made with permission-node's condition
      // exports, as Backstage's catalog packages make theirs.
      '@plinth/plugin-permission-node',
    ],
  ],
  [
    'plugins/catalog-backend',
    [
      '@plinth/plugin-catalog-node',
      '@plinth/catalog-model',
      '@plinth/backend-plugin-api',
      '@plinth/plugin-permission-common',
      // Conditional decisions become SQL through its condition transformer.
      '@plinth/plugin-permission-node',
      // Processing errors are published on the events service, as
      // Backstage's catalog-backend depends on its events-node.
      '@plinth/plugin-events-node',
    ],
  ],
  // A permission policy decides the permissions of every plugin, so it
  // imports their permissions and condition factories, which Plinth keeps
  // in the node libraries' alpha entries (Backstage's policy modules import
  // the same from the plugins' -common packages). Still never a plugin.
  [
    'plugins/permission-backend-module-*',
    [
      '@plinth/backend-plugin-api',
      '@plinth/catalog-model',
      '@plinth/plugin-*-node',
      '@plinth/plugin-permission-common',
    ],
  ],
  // A module extends one plugin, through that plugin's node library; it
  // never imports the plugin package itself.
  [
    'plugins/*-backend-module-*',
    [
      '@plinth/backend-plugin-api',
      '@plinth/catalog-model',
      '@plinth/plugin-<id>-node',
      '@plinth/plugin-permission-common',
    ],
  ],
  // Plugins and node libraries may use any node library (another plugin's
  // service refs and types), never another backend plugin package.
  [
    'plugins/*-backend',
    [
      '@plinth/backend-plugin-api',
      '@plinth/catalog-model',
      '@plinth/plugin-*-node',
      '@plinth/plugin-permission-common',
    ],
  ],
  [
    'plugins/*-node',
    [
      '@plinth/backend-plugin-api',
      '@plinth/catalog-model',
      '@plinth/plugin-*-node',
      '@plinth/plugin-permission-common',
    ],
  ],
];

/**
 * Workspace packages a package may use outside its runtime code: tests
 * boot real backends with backend-test-utils, as the style guide asks,
 * a plugin's `dev/` entry runs it alone on backend-defaults, and a policy
 * module's integration test boots the plugins its decisions reach.
 */
function developmentOnlyFor(dir: string): string[] {
  if (matchesPattern('plugins/permission-backend-module-*', dir)) {
    // A policy only shows what it decides through a permission backend
    // that asks it, the real permissions service (test backends mock it)
    // and a plugin that enforces the decisions.
    return [
      '@plinth/backend-test-utils',
      '@plinth/backend-defaults',
      '@plinth/plugin-permission-backend',
      '@plinth/plugin-catalog-backend',
    ];
  }
  return matchesPattern('plugins/*-backend', dir)
    ? ['@plinth/backend-test-utils', '@plinth/backend-defaults']
    : ['@plinth/backend-test-utils'];
}

/** Packages whose only third-party dependencies may be type declarations. */
const dependencyFree = [
  'packages/backend-plugin-api',
  'packages/backend-app-api',
];

/** `import ... from 'x'` and `export ... from 'x'` statements. */
const importPattern = /^(?:import|export)\b[^;]*?from '([^']+)'/gms;
/** Imports that load code at run time, not `import type`. */
const valueImportPattern = /^import (?!type )[^;]*?from '([^']+)'/gms;

function matchesPattern(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${source}$`).test(value);
}

function allowedFor(dir: string): string[] | 'any' | undefined {
  const allowed = allowedEdges.find(([pattern]) =>
    matchesPattern(pattern, dir),
  )?.[1];
  const pluginId = /^plugins\/(.+?)-backend-module-/.exec(dir)?.[1];
  return allowed === 'any' || pluginId === undefined
    ? allowed
    : allowed?.map(name => name.replace('<id>', pluginId));
}

function isAllowed(allowed: string[] | 'any' | undefined, name: string) {
  return (
    allowed === 'any' ||
    (allowed ?? []).some(pattern => matchesPattern(pattern, name))
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
      const forbidden = internal.filter(name => !isAllowed(allowed, name));
      expect(forbidden).toEqual([]);
    },
  );

  it.each(packages.map(p => [p.dir, p] as const))(
    '%s uses other workspace packages in development only where the runtime edges allow, plus backend-test-utils (and backend-defaults for a plugin)',
    (dir, pkg) => {
      const allowed = allowedFor(dir);
      const forbidden = Object.keys(pkg.devDependencies).filter(
        name =>
          name.startsWith('@plinth/') &&
          name !== '@plinth/errors' &&
          !developmentOnlyFor(dir).includes(name) &&
          !isAllowed(allowed, name),
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
