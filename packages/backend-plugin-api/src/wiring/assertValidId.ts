import { InputError } from '@plinth/errors';
import { describeValue } from './describeValue';

const featureIdPattern = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/i;
const refIdPattern =
  /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*)*$/i;

/**
 * What an id names, as it appears in error messages.
 */
export type IdKind =
  'plugin id' | 'module id' | 'service ref id' | 'extension point id';

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
  const dotted = kind === 'service ref id' || kind === 'extension point id';
  if (typeof id !== 'string') {
    throw new InputError(
      `${creator}() needs a ${kind} string, got ${describeValue(id)}.`,
    );
  }
  if (!(dotted ? refIdPattern : featureIdPattern).test(id)) {
    const rule = dotted
      ? "dot-separated words of letters, digits and single dashes, each starting with a letter, such as 'example.processing'"
      : "letters, digits and single dashes, starting with a letter, such as 'my-plugin'";
    throw new InputError(
      `${creator}() got an invalid ${kind} '${id}': use ${rule}.`,
    );
  }
}
