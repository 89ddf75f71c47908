import fs from 'node:fs';
import path from 'node:path';
import { BuildCommandError } from '../errors';
import type { Workspace, WorkspacePackage } from '../new/Workspace';

/** The package `yarn build:backend` starts from, and its entry point. */
export const backendDir = 'packages/backend';

/**
 * The files beside the packages that the backend reads at run time: its
 * config, and the sample catalog that app-config.yaml points at.
 */
const rootFiles = [
  'yarn.lock',
  '.yarnrc.yml',
  'app-config.yaml',
  'app-config.production.yaml',
  'examples/catalog',
];

/**
 * The manifest fields a package's `publishConfig` replaces in its built
 * copy, as `yarn pack` and Backstage's `build-workspace` apply them: in
 * the repository they point at `src/*.ts` for the development loop, in
 * the build at `dist/`.
 */
const publishedFields = ['main', 'types', 'exports', 'typesVersions', 'bin'];

type Manifest = Record<string, unknown> & {
  name?: string;
  dependencies?: Record<string, string>;
  files?: string[];
  publishConfig?: Record<string, unknown>;
};

/**
 * The backend package and every workspace package in its `dependencies`
 * closure, which is what the folder holds; tests, the cli and other
 * dev-only packages stay out.
 */
export function listBackendPackages(workspace: Workspace): WorkspacePackage[] {
  const byName = new Map(
    workspace.packages().map(p => [p.manifest.name, p] as const),
  );
  const start = workspace.packages().find(p => p.dir === backendDir);
  if (!start) {
    return [];
  }
  const found = new Map([[start.dir, start]]);
  const queue = [start];
  while (queue.length > 0) {
    const next = queue.shift()!;
    for (const name of Object.keys(next.manifest.dependencies ?? {})) {
      const dependency = byName.get(name);
      if (dependency && !found.has(dependency.dir)) {
        found.set(dependency.dir, dependency);
        queue.push(dependency);
      }
    }
  }
  return [...found.values()].sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * The manifest of a package's built copy: `publishConfig` applied, and
 * without what only the repository uses (devDependencies, which name
 * workspaces the folder does not have, and scripts, which run dev tools).
 *
 * @throws BuildCommandError `BUILD_NO_PUBLISH_CONFIG` when the package has
 *   no `publishConfig.main`, so its copy would point at its sources.
 */
export function toProductionManifest(pkg: WorkspacePackage): Manifest {
  const {
    publishConfig,
    devDependencies: _devDependencies,
    scripts: _scripts,
    ...manifest
  } = pkg.manifest as Manifest;
  if (typeof publishConfig?.main !== 'string') {
    throw new BuildCommandError(
      'BUILD_NO_PUBLISH_CONFIG',
      `Package '${pkg.manifest.name}' (${pkg.dir}) has no 'publishConfig.main', so its built copy would still point at its TypeScript sources. Add a 'publishConfig' whose main, types, exports and typesVersions point at dist/, as in packages/backend-plugin-api/package.json.`,
    );
  }
  for (const field of publishedFields) {
    if (field in publishConfig) {
      manifest[field] = publishConfig[field];
    }
  }
  return manifest;
}

/**
 * Writes the folder's files into `target` (an empty folder): a root
 * package.json whose workspaces are `packages`, the root files, and each
 * package's production manifest with the entries of its `files` (its
 * `dist/` and assets such as `config.schema.json`), built beforehand.
 *
 * @throws BuildCommandError `BUILD_NO_PUBLISH_CONFIG` or
 *   `BUILD_MISSING_FILE` (a `files` entry that does not exist).
 */
export function writeBackendFolder(options: {
  workspace: Workspace;
  packages: readonly WorkspacePackage[];
  target: string;
}): void {
  const { workspace, packages, target } = options;
  const rootManifest = workspace.rootManifest as Manifest;
  writeJson(path.join(target, 'package.json'), {
    name: rootManifest.name,
    private: true,
    packageManager: rootManifest.packageManager,
    engines: rootManifest.engines,
    workspaces: packages.map(p => p.dir),
    resolutions: rootManifest.resolutions,
  });
  for (const file of rootFiles) {
    copy(workspace.resolve(file), path.join(target, file));
  }
  for (const pkg of packages) {
    const manifest = toProductionManifest(pkg);
    const dir = path.join(target, pkg.dir);
    // Negated entries only trim what a listed folder holds; ours list
    // built folders and single files.
    for (const entry of (manifest.files ?? []).filter(
      f => !f.startsWith('!'),
    )) {
      const from = workspace.resolve(path.join(pkg.dir, entry));
      if (!fs.existsSync(from)) {
        throw new BuildCommandError(
          'BUILD_MISSING_FILE',
          `Package '${pkg.manifest.name}' lists '${entry}' in 'files', but ${pkg.dir}/${entry} does not exist after compiling. Remove the entry, or make the build produce it (dist/ comes from ${pkg.dir}/tsconfig.build.json).`,
        );
      }
      copy(from, path.join(dir, entry));
    }
    writeJson(path.join(dir, 'package.json'), manifest);
  }
}

/** Copies a file or folder, leaving out tsc's incremental state. */
function copy(from: string, to: string): void {
  fs.cpSync(from, to, {
    recursive: true,
    filter: source => !source.endsWith('.tsbuildinfo'),
  });
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
