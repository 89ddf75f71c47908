import { CustomErrorBase } from '@plinth/errors';

/**
 * A service factory threw while creating an instance; the cause says why.
 *
 * @public
 */
export class ServiceFactoryError extends CustomErrorBase {
  readonly name = 'ServiceFactoryError' as const;

  /**
   * @param part - set to `'root context'` when the factory's
   *   `createRootContext`, shared by every plugin, failed.
   */
  constructor(
    readonly serviceId: string,
    readonly pluginId: string | undefined,
    cause: unknown,
    part?: 'root context',
  ) {
    super(
      part
        ? `The shared root context of service '${serviceId}' could not be created.`
        : pluginId
          ? `Service '${serviceId}' could not be created for plugin '${pluginId}'.`
          : `Service '${serviceId}' could not be created.`,
      cause,
    );
  }
}
