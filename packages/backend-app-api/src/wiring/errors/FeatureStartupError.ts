import { CustomErrorBase } from '@plinth/errors';

/**
 * A plugin or module failed to initialise; the cause says why.
 *
 * @public
 */
export class FeatureStartupError extends CustomErrorBase {
  readonly name = 'FeatureStartupError' as const;

  /** @param feature - such as `plugin 'catalog'` or `module 'x' for plugin 'catalog'`. */
  constructor(
    readonly feature: string,
    cause: unknown,
  ) {
    super(
      `${feature[0].toUpperCase()}${feature.slice(1)} failed to start.`,
      cause,
    );
  }
}
