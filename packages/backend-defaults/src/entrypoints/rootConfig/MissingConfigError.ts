import { CustomErrorBase } from '@plinth/errors';

/**
 * A required config value is absent.
 *
 * @public
 */
export class MissingConfigError extends CustomErrorBase {
  readonly name = 'MissingConfigError' as const;

  /**
   * @param key - the full dot-separated key.
   * @param contexts - the config sources that were searched.
   * @param requiredBy - the package whose config schema requires the value,
   *   when a schema rather than code found it missing.
   */
  constructor(
    readonly key: string,
    contexts: readonly string[],
    readonly requiredBy?: string,
  ) {
    const where =
      contexts.map(c => `'${c}'`).join(' or ') || 'your app-config.yaml';
    const why = requiredBy
      ? `, which the config schema of '${requiredBy}' requires`
      : '';
    super(
      `Missing required config value at '${key}'${why}; set it in ${where}.`,
    );
  }
}
