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
   */
  constructor(
    readonly key: string,
    contexts: readonly string[],
  ) {
    super(
      `Missing required config value at '${key}'; set it in ${contexts.map(c => `'${c}'`).join(' or ') || 'your app-config.yaml'}.`,
    );
  }
}
