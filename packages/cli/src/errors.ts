import { CustomErrorBase } from '@plinth/errors';

/**
 * What a {@link NewCommandError} is about; the README lists what each
 * means and how to fix it.
 *
 * @public
 */
export type NewCommandErrorCode =
  | 'NEW_INVALID_ARGUMENTS'
  | 'NEW_UNKNOWN_TEMPLATE'
  | 'NEW_MISSING_ANSWER'
  | 'NEW_INVALID_ANSWER'
  | 'NEW_TARGET_TAKEN'
  | 'NEW_FOLDER_NOT_IN_WORKSPACE'
  | 'NEW_NODE_LIBRARY_MISSING'
  | 'NEW_NO_WORKSPACE'
  | 'NEW_INVALID_MANIFEST';

/**
 * A flag, an answer or the workspace makes `yarn new` impossible; the
 * message names what is wrong and how to fix it, and is printed alone.
 *
 * @public
 */
export class NewCommandError extends CustomErrorBase {
  readonly name = 'NewCommandError' as const;

  constructor(
    readonly code: NewCommandErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}

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

/**
 * `yarn new` was interrupted (Ctrl-C, or its input ended at a prompt)
 * before it finished; nothing it started is left behind.
 *
 * @public
 */
export class NewCancelledError extends CustomErrorBase {
  readonly name = 'NewCancelledError' as const;
}

/**
 * What a {@link TokenCommandError} is about; the README lists what each
 * means and how to fix it.
 *
 * @public
 */
export type TokenCommandErrorCode =
  | 'TOKEN_INVALID_ARGUMENTS'
  | 'TOKEN_MISSING_CREDENTIALS'
  | 'TOKEN_BACKEND_UNREACHABLE'
  | 'TOKEN_REQUEST_REFUSED';

/**
 * `yarn plinth token` cannot do what was asked: a flag is wrong, no
 * credential was given, or the backend refused or did not answer; the
 * message says which and how to fix it, and is printed alone.
 *
 * @public
 */
export class TokenCommandError extends CustomErrorBase {
  readonly name = 'TokenCommandError' as const;

  constructor(
    readonly code: TokenCommandErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}

/**
 * What a {@link BuildCommandError} is about; the README lists what each
 * means and how to fix it.
 *
 * @public
 */
export type BuildCommandErrorCode =
  | 'BUILD_INVALID_ARGUMENTS'
  | 'BUILD_NO_BUILD_CONFIG'
  | 'BUILD_COMPILE_FAILED'
  | 'BUILD_NO_PUBLISH_CONFIG'
  | 'BUILD_MISSING_FILE'
  | 'BUILD_INSTALL_FAILED'
  | 'BUILD_TRANSPILER_INSTALLED'
  | 'BUILD_LINK_OUTSIDE';

/**
 * `yarn build` or `yarn build:backend` cannot finish: a package is not set
 * up to be built, tsc or the install failed, or the folder would not be
 * self-contained; the message says which and how to fix it, and is
 * printed alone. A failed `yarn build:backend` leaves the previous
 * folder as it was.
 *
 * @public
 */
export class BuildCommandError extends CustomErrorBase {
  readonly name = 'BuildCommandError' as const;

  constructor(
    readonly code: BuildCommandErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}

/**
 * What a {@link ValidateCommandError} is about; the README lists what each
 * means and how to fix it.
 *
 * @public
 */
export type ValidateCommandErrorCode =
  | 'VALIDATE_INVALID_ARGUMENTS'
  | 'VALIDATE_MISSING_CREDENTIALS'
  | 'VALIDATE_NO_FILES'
  | 'VALIDATE_UNREADABLE_FILE'
  | 'VALIDATE_BACKEND_UNREACHABLE'
  | 'VALIDATE_REQUEST_REFUSED';

/**
 * `yarn plinth validate-entities` cannot validate: a flag is wrong, no
 * file matches, a file cannot be read, or the backend refused the request
 * or did not answer; the message says which and how to fix it, and is
 * printed alone. The command exits with 2 for it, apart from the 1 of
 * invalid documents.
 *
 * @public
 */
export class ValidateCommandError extends CustomErrorBase {
  readonly name = 'ValidateCommandError' as const;

  constructor(
    readonly code: ValidateCommandErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}

/** Errors the commands throw for flags, answers or installs that cannot work. */
const userErrorNames = new Set([
  'BuildCommandError',
  'ValidateCommandError',
  'TokenCommandError',
  'NewCommandError',
  'InstallFailedError',
  'NewCancelledError',
]);

/**
 * Whether `error` reports a mistake or situation the user can fix, so it
 * is shown as its message alone; anything else is a bug and keeps its
 * stack.
 */
export function isUserError(error: unknown): error is Error {
  return error instanceof Error && userErrorNames.has(error.name);
}
