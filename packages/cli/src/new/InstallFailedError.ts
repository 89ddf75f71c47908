import { CustomErrorBase } from '@plinth/errors';

/** How many of the last lines of Yarn's output the message quotes. */
const quotedLines = 30;

/**
 * `yarn install` failed after a package was created; the package was
 * removed again and yarn.lock restored.
 *
 * @public
 */
export class InstallFailedError extends CustomErrorBase {
  readonly name = 'InstallFailedError' as const;

  constructor(
    readonly dir: string,
    readonly exitCode: number,
    readonly output: string,
  ) {
    const tail = output.trimEnd().split('\n').slice(-quotedLines).join('\n');
    super(
      `yarn install failed with exit code ${exitCode}, so ${dir} was removed again and yarn.lock restored. Fix what Yarn reports below, then run yarn new again.\n${tail}`,
    );
  }
}
