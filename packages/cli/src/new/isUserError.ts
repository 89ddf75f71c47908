/** Errors `yarn new` throws for answers, flags or installs that cannot work. */
const userErrorNames = new Set([
  'InputError',
  'ConflictError',
  'NotFoundError',
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
