import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BuildCommandError } from '../errors';
import { Workspace } from '../new/Workspace';
import { compileWorkspaces } from './compileWorkspaces';
import {
  assertSelfContained,
  installProductionDependencies,
} from './installProductionDependencies';
import {
  backendDir,
  listBackendPackages,
  writeBackendFolder,
} from './writeBackendFolder';

/**
 * Options for {@link runBuildCommand} and {@link runBuildBackendCommand}.
 *
 * @public
 */
export interface RunBuildCommandOptions {
  argv: readonly string[];
  /** Where the command runs; the workspace root is found from here. */
  cwd: string;
  /** Progress lines, and tsc's output. */
  stdout: NodeJS.WritableStream;
}

/** Where `yarn build:backend` writes, relative to the workspace root. */
const defaultOutput = 'build/backend';

/**
 * `yarn build [<package folder>...]`: type-checks and compiles every
 * workspace package (or those named, with the packages they reference)
 * from `src/` to `dist/` with `tsc -b`.
 *
 * @throws BuildCommandError for an unknown flag, a package without a
 *   tsconfig.build.json, or a failed compile.
 * @public
 */
export async function runBuildCommand(
  options: RunBuildCommandOptions,
): Promise<void> {
  const { positionals } = parseOrThrow('yarn build [<package folder>...]', () =>
    parseArgs({ args: [...options.argv], allowPositionals: true }),
  );
  const started = Date.now();
  const workspace = Workspace.find(options.cwd);
  const count = await compileWorkspaces({
    workspace,
    dirs: positionals.map(dir =>
      path.relative(workspace.root, path.resolve(options.cwd, dir)),
    ),
    output: options.stdout,
  });
  options.stdout.write(
    `Compiled ${count} package${count === 1 ? '' : 's'} to dist/ in ${seconds(started)}.\n`,
  );
}

/**
 * `yarn build:backend [--output <folder>]`: compiles every package, then
 * writes a folder that runs the backend with `node` alone (by default
 * build/backend): the backend and the workspace packages it depends on
 * with their `dist/` and production manifests, yarn.lock, .yarnrc.yml,
 * the app-config files and the sample catalog, and production
 * dependencies only, installed by `yarn workspaces focus --production`.
 * The folder is assembled beside the output and swapped in at the end,
 * so a failed build leaves the previous one in place.
 *
 * @throws BuildCommandError naming what failed and how to fix it.
 * @public
 */
export async function runBuildBackendCommand(
  options: RunBuildCommandOptions,
): Promise<void> {
  const usage = 'yarn build:backend [--output <folder>]';
  const { values, positionals } = parseOrThrow(usage, () =>
    parseArgs({
      args: [...options.argv],
      options: { output: { type: 'string' } },
      allowPositionals: true,
    }),
  );
  if (positionals.length > 0) {
    throw invalidArguments(`Unexpected argument '${positionals[0]}'`, usage);
  }
  const started = Date.now();
  const print = (line: string) => options.stdout.write(`${line}\n`);
  const workspace = Workspace.find(options.cwd);
  const output =
    typeof values.output === 'string'
      ? path.resolve(options.cwd, values.output)
      : workspace.resolve(defaultOutput);
  const relative = path.relative(options.cwd, output);
  const shown = relative.startsWith('..') ? output : relative || '.';
  assertReplaceable(output, workspace.root);

  const count = await compileWorkspaces({ workspace, output: options.stdout });
  print(`Compiled ${count} packages in ${seconds(started)}.`);
  const packages = listBackendPackages(workspace);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  const staging = fs.mkdtempSync(
    path.join(path.dirname(output), `.${path.basename(output)}-`),
  );
  // mkdtemp makes a folder only its owner may enter; the folder is for
  // whoever runs the backend, such as an image's non-root user.
  fs.chmodSync(staging, 0o755);
  try {
    writeBackendFolder({ workspace, packages, target: staging });
    print(
      `Installing the production dependencies of ${packages.length} packages: ${packages.map(p => p.manifest.name).join(', ')}.`,
    );
    await installProductionDependencies(staging);
    assertSelfContained(staging);
    swapIn(staging, output);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  print(
    `Wrote ${shown} in ${seconds(started)}. Start it with: cd ${shown} && node ${backendDir}/dist/index.js`,
  );
}

/**
 * Refuses an output folder whose replacement would lose work: the
 * repository or a folder above it, or an existing folder that is not an
 * earlier build.
 */
function assertReplaceable(output: string, root: string): void {
  const toRoot = path.relative(output, root);
  const holdsRepository = !toRoot.startsWith('..') && !path.isAbsolute(toRoot);
  const isOtherFolder =
    fs.existsSync(output) &&
    fs.readdirSync(output).length > 0 &&
    !fs.existsSync(path.join(output, backendDir, 'dist'));
  if (holdsRepository || isOtherFolder) {
    throw new BuildCommandError(
      'BUILD_INVALID_ARGUMENTS',
      `Cannot write the backend folder to '${output}': it ${holdsRepository ? 'holds the repository' : `exists and is not an earlier build (it has no ${backendDir}/dist)`}, and yarn build:backend replaces the whole folder. Choose a new or empty folder with --output.`,
    );
  }
}

/** Replaces `output` with `staging`, with the old folder out of the way first. */
function swapIn(staging: string, output: string): void {
  if (fs.existsSync(output)) {
    const old = `${staging}-old`;
    fs.renameSync(output, old);
    fs.renameSync(staging, output);
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    fs.renameSync(staging, output);
  }
}

/** Runs node:util's parseArgs, turning its errors into a usage error. */
function parseOrThrow<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    // Node's first sentence names the problem; its advice on '--' is not ours.
    throw invalidArguments((error as Error).message.split('. ')[0], usage);
  }
}

function invalidArguments(problem: string, usage: string): BuildCommandError {
  return new BuildCommandError(
    'BUILD_INVALID_ARGUMENTS',
    `${problem}; the usage is: ${usage}.`,
  );
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
