import { InputError } from '@plinth/errors';
import { describeValue } from '@plinth/errors';

const featureIdPattern = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/i;
const refIdPattern =
  /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*)*$/i;

/**
 * What an id names, as it appears in error messages.
 *
 * @internal
 */
export type IdKind =
  'plugin id' | 'module id' | 'service ref id' | 'extension point id';

/** Service ref and extension point ids may join words with dots. */
function isDotted(kind: IdKind): boolean {
  return kind === 'service ref id' || kind === 'extension point id';
}

/**
 * Whether `id` is valid for `kind` by the rule the engine uses everywhere,
 * so sibling packages (auth, discovery) accept exactly the ids the engine
 * accepts.
 *
 * @example
 * ```ts
 * isValidId('plugin id', 'my-plugin'); // true
 * isValidId('plugin id', 'a--b'); // false
 * ```
 * @internal
 */
export function isValidId(kind: IdKind, id: unknown): boolean {
  return (
    typeof id === 'string' &&
    (isDotted(kind) ? refIdPattern : featureIdPattern).test(id)
  );
}

/**
 * How a valid id of `kind` is written, for error messages that say how to
 * fix an invalid one.
 *
 * @internal
 */
export function describeIdRule(kind: IdKind): string {
  return isDotted(kind)
    ? "dot-separated words of letters, digits and single dashes, each starting with a letter, such as 'example.processing'"
    : "letters, digits and single dashes, starting with a letter, such as 'my-plugin'";
}

/**
 * Checks an id against the rule the engine uses everywhere: letters and
 * digits in dash-separated words, starting with a letter. Service ref and
 * extension point ids may join such words with dots (`core.rootConfig`,
 * `catalog.processing`).
 *
 * @throws {@link @plinth/errors#InputError} naming the creator, the id and the rule.
 */
export function assertValidId(
  creator: string,
  kind: IdKind,
  id: unknown,
): asserts id is string {
  if (typeof id !== 'string') {
    throw new InputError(
      `${creator}() needs a ${kind} string, got ${describeValue(id)}.`,
    );
  }
  if (!isValidId(kind, id)) {
    throw new InputError(
      `${creator}() got an invalid ${kind} '${id}': use ${describeIdRule(kind)}.`,
    );
  }
}
