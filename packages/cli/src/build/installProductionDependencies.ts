import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BuildCommandError } from '../errors';
import { resolveYarnCommand } from '../new/runYarnInstall';

/**
 * Packages that compile TypeScript or run tests, which `yarn build:backend`
 * refuses to find in the folder it writes: the built backend runs
 * compiled JavaScript, so one of them there means a runtime dependency
 * drags a dev tool into production.
 *
 * @public
 */
export const devToolPackages: readonly string[] = [
  'typescript',
  'sucrase',
  'ts-node',
  'tsx',
  '@swc/core',
  'esbuild',
  'jest',
  'ts-jest',
];

/** How many of Yarn's last lines a failed install quotes. */
const quotedLines = 30;

/**
 * Installs the production dependencies of every workspace in `dir` with
 * `yarn workspaces focus --all --production`, from the yarn.lock copied
 * there, with the Yarn that runs the command and its registry settings.
 *
 * @throws BuildCommandError `BUILD_INSTALL_FAILED` with Yarn's output.
 */
export async function installProductionDependencies(
  dir: string,
): Promise<void> {
  const [command, prefix] = resolveYarnCommand();
  const args = [...prefix, 'workspaces', 'focus', '--all', '--production'];
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Set by the Yarn running `yarn build:backend`; they describe the
  // repository, not the folder.
  delete env.INIT_CWD;
  delete env.PROJECT_CWD;
  const result = await new Promise<{ code: number; output: string }>(
    resolve => {
      let output = '';
      const child = spawn(command, args, {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', error =>
        resolve({
          code: 127,
          output: `Could not start '${command}': ${error.message}`,
        }),
      );
      child.on('close', code => resolve({ code: code ?? 1, output }));
    },
  );
  if (result.code !== 0) {
    const tail = result.output
      .trimEnd()
      .split('\n')
      .slice(-quotedLines)
      .join('\n');
    throw new BuildCommandError(
      'BUILD_INSTALL_FAILED',
      `Installing the production dependencies failed: 'yarn ${args.slice(prefix.length).join(' ')}' exited with code ${result.code}. Fix what Yarn reports below (run 'yarn install' in the repository first if yarn.lock is out of date), then build again.\n${tail}`,
    );
  }
}

/**
 * Checks that `dir` runs on its own: no symlink leads out of it (Yarn
 * links workspaces relatively, so the folder can be moved or copied into
 * an image), and no dev tool of {@link devToolPackages} is installed.
 *
 * @throws BuildCommandError `BUILD_LINK_OUTSIDE` or
 *   `BUILD_TRANSPILER_INSTALLED`, naming every offending path.
 */
export function assertSelfContained(dir: string): void {
  const outside: string[] = [];
  const devTools: string[] = [];
  const walk = (folder: string) => {
    const base = path.basename(folder);
    const inNodeModules = base === 'node_modules';
    const scope =
      base.startsWith('@') &&
      path.basename(path.dirname(folder)) === 'node_modules'
        ? base
        : undefined;
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isSymbolicLink()) {
        const target = path.resolve(folder, fs.readlinkSync(full));
        if (path.relative(dir, target).startsWith('..')) {
          outside.push(`${path.relative(dir, full)} -> ${target}`);
        }
      } else if (entry.isDirectory()) {
        const name = scope ? `${scope}/${entry.name}` : entry.name;
        if ((inNodeModules || scope) && devToolPackages.includes(name)) {
          devTools.push(path.relative(dir, full));
        }
        walk(full);
      }
    }
  };
  walk(dir);
  if (outside.length > 0) {
    throw new BuildCommandError(
      'BUILD_LINK_OUTSIDE',
      `The built folder '${dir}' has symlinks that lead out of it, so it would break once moved: ${outside.sort().join(', ')}. Make the dependency a workspace package the folder holds, or a registry package, instead of a link or portal.`,
    );
  }
  if (devTools.length > 0) {
    throw new BuildCommandError(
      'BUILD_TRANSPILER_INSTALLED',
      `The built folder '${dir}' installs dev tools that production must not load: ${devTools.sort().join(', ')}. Find who depends on them with 'yarn why <name>' in the repository and move that dependency to devDependencies.`,
    );
  }
}
