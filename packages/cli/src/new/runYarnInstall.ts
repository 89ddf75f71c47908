import { spawn } from 'node:child_process';
import { resolveYarnCommand } from './resolveYarnCommand';

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
