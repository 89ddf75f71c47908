import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * How `yarn install` ended, with everything it printed.
 *
 * @public
 */
export interface InstallResult {
  exitCode: number;
  output: string;
}

/**
 * Runs `yarn install` in `root` and resolves with how it ended.
 *
 * @public
 */
export type InstallRunner = (root: string) => Promise<InstallResult>;

/**
 * Runs `yarn install` with the Yarn that runs `yarn new`, capturing its
 * output for the error report. A new workspace always changes yarn.lock,
 * so the install may write it even where CI makes installs immutable.
 *
 * @public
 */
export const runYarnInstall: InstallRunner = root => {
  const [command, prefix] = resolveYarnCommand();
  const args = [...prefix, 'install', '--no-immutable'];
  return new Promise(resolve => {
    const chunks: Buffer[] = [];
    const child = spawn(command, args, {
      cwd: root,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', error =>
      resolve({
        exitCode: 127,
        output: `Could not start '${command}': ${error.message}`,
      }),
    );
    child.on('close', code =>
      resolve({
        exitCode: code ?? 1,
        output: Buffer.concat(chunks).toString('utf8'),
      }),
    );
  });
};

/**
 * How to run the Yarn that runs this process: Yarn sets `npm_execpath` for
 * scripts, to a JavaScript file or to an executable shim. Started another
 * way, Corepack's Yarn, which the root package.json pins.
 *
 * @returns the command and the arguments that come before Yarn's own.
 * @public
 */
export function resolveYarnCommand(
  env: NodeJS.ProcessEnv = process.env,
): [command: string, args: string[]] {
  const execPath = env.npm_execpath;
  if (execPath && /yarn/i.test(path.basename(execPath))) {
    return /\.c?js$/.test(execPath)
      ? [process.execPath, [execPath]]
      : [execPath, []];
  }
  return ['corepack', ['yarn']];
}
