import { CustomErrorBase } from '@plinth/errors';

/**
 * A config key that no config schema declares, below a top-level key that
 * some schema does declare, or a top-level key close to a declared one.
 *
 * @public
 */
export class UnknownConfigKeyError extends CustomErrorBase {
  readonly name = 'UnknownConfigKeyError' as const;

  /**
   * @param key - the full key, such as `backend.listn`.
   * @param context - the layer the key came from, such as a file name.
   * @param suggestion - the full key of a declared name close to it.
   * @param known - the names declared next to it, for when none is close.
   */
  constructor(
    readonly key: string,
    readonly context: string,
    readonly suggestion: string | undefined,
    known: readonly string[],
  ) {
    let fix: string;
    if (suggestion) {
      fix = `did you mean '${suggestion}'?`;
    } else if (known.length > 0) {
      fix = `remove it, or use one of the known keys ${known.map(k => `'${k}'`).join(', ')}.`;
    } else {
      fix = 'remove it, as no config schema declares keys here.';
    }
    super(`Invalid config at '${key}' (${context}): unknown key; ${fix}`);
  }
}
