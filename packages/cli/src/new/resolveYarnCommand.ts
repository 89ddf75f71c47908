import path from 'node:path';

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
