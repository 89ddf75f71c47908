/**
 * The command line: `yarn new` runs `bin.ts new`, `yarn build` and
 * `yarn build:backend` run `bin.ts build` and `bin.ts build-backend`,
 * `yarn plinth <command>` runs `bin.ts <command>`. User mistakes print
 * their message alone and exit with 1 (130 when cancelled; 2 for
 * `validate-entities`, whose 1 means invalid documents); anything else
 * is a bug and prints its stack.
 */
import {
  runBuildBackendCommand,
  runBuildCommand,
} from './build/runBuildCommand';
import { isUserError } from './errors';
import { runNewCommand } from './new/runNewCommand';
import { createReadlinePrompter } from './createReadlinePrompter';
import { runTokenCommand } from './token/runTokenCommand';
import { runValidateEntitiesCommand } from './validate/runValidateEntitiesCommand';

/** The script that runs each command, as the user typed it. */
const scriptNames: Record<string, string | undefined> = {
  new: 'yarn new',
  build: 'yarn build',
  'build-backend': 'yarn build:backend',
  token: 'yarn plinth token',
  'validate-entities': 'yarn plinth validate-entities',
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'token') {
    return reportUserErrors(() =>
      runTokenCommand({ argv: rest, env: process.env, stdout: process.stdout }),
    );
  }
  if (command === 'validate-entities') {
    let code = 0;
    const failed = await reportUserErrors(async () => {
      code = await runValidateEntitiesCommand({
        argv: rest,
        env: process.env,
        // As for `new` below: yarn runs the root script from the root.
        cwd:
          process.env.npm_lifecycle_event === 'plinth' && process.env.INIT_CWD
            ? process.env.INIT_CWD
            : process.cwd(),
        stdout: process.stdout,
      });
    });
    // CI tells "invalid documents" (1) from "could not validate" (2).
    return failed === 0 ? code : 2;
  }
  const build = {
    build: runBuildCommand,
    'build-backend': runBuildBackendCommand,
  }[command ?? ''];
  if (build) {
    return reportUserErrors(() =>
      build({ argv: rest, cwd: process.cwd(), stdout: process.stdout }),
    );
  }
  if (command !== 'new') {
    process.stderr.write(
      `Unknown command '${command ?? ''}': the commands are ${Object.entries(
        scriptNames,
      )
        .map(([name, script]) => `'${name}' (${script})`)
        .join(', ')}.\n`,
    );
    return 1;
  }
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  // Yarn runs root scripts in the root and keeps the folder the user was in
  // as INIT_CWD; another script's INIT_CWD may point at another checkout.
  const cwd =
    process.env.npm_lifecycle_event === 'new' && process.env.INIT_CWD
      ? process.env.INIT_CWD
      : process.cwd();
  return reportUserErrors(() =>
    runNewCommand({
      argv: rest,
      cwd,
      stdout: process.stdout,
      prompter: interactive
        ? () =>
            createReadlinePrompter({
              input: process.stdin,
              output: process.stdout,
            })
        : undefined,
    }),
  );
}

/** 0 when `run` succeeds; a user mistake prints its message and gives 1 (130 when cancelled). */
async function reportUserErrors(run: () => Promise<void>): Promise<number> {
  try {
    await run();
    return 0;
  } catch (error) {
    if (!isUserError(error)) {
      throw error;
    }
    process.stderr.write(`${error.message}\n`);
    return error.name === 'NewCancelledError' ? 130 : 1;
  }
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `${scriptNames[process.argv[2] ?? ''] ?? 'yarn plinth'} failed unexpectedly; this is a bug, please report it:\n${(error as Error)?.stack ?? String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
