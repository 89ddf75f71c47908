import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BuildCommandError } from '../errors';
import type { Workspace } from '../new/Workspace';

/**
 * The per-package config `yarn build` compiles: it extends the root
 * `tsconfig.build.json` (src/ to dist/, tests left out) and references the
 * workspace packages it depends on, so tsc reads their declarations
 * instead of compiling their sources again.
 */
export const buildConfigFile = 'tsconfig.build.json';

/**
 * Type-checks and compiles `dirs` (folders relative to the workspace
 * root; every workspace package when empty),
 * and the packages they reference, with `tsc -b`: incremental, so an
 * unchanged package costs a timestamp check. tsc's output goes to
 * `output`.
 *
 * @returns how many packages were asked for.
 * @throws BuildCommandError `BUILD_NO_BUILD_CONFIG` for a package without
 *   a tsconfig.build.json, `BUILD_COMPILE_FAILED` when tsc fails.
 */
export async function compileWorkspaces(options: {
  workspace: Workspace;
  dirs?: readonly string[];
  output: NodeJS.WritableStream;
}): Promise<number> {
  const { workspace, output } = options;
  const dirs = options.dirs?.length
    ? options.dirs
    : workspace.packages().map(p => p.dir);
  const configs = dirs.map(dir => {
    const config = path.join(workspace.root, dir, buildConfigFile);
    if (!fs.existsSync(config)) {
      throw new BuildCommandError(
        'BUILD_NO_BUILD_CONFIG',
        `Cannot compile '${dir}': it has no ${buildConfigFile}. Add one that extends '../../${buildConfigFile}' and references the ${buildConfigFile} of each workspace package in its dependencies, as plugins/catalog-node/${buildConfigFile} does.`,
      );
    }
    return config;
  });
  // The workspace's own TypeScript, else the one beside this package.
  const tsc = require.resolve('typescript/bin/tsc', {
    paths: [workspace.root, __dirname],
  });
  const code = await new Promise<number>(resolve => {
    const child = spawn(process.execPath, [tsc, '-b', ...configs], {
      cwd: workspace.root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(output, { end: false });
    child.stderr.pipe(output, { end: false });
    child.on('close', exitCode => resolve(exitCode ?? 1));
  });
  if (code !== 0) {
    throw new BuildCommandError(
      'BUILD_COMPILE_FAILED',
      `Compiling failed: 'tsc -b' exited with code ${code} after the errors above. Fix them (yarn tsc shows them too), then build again.`,
    );
  }
  return dirs.length;
}
