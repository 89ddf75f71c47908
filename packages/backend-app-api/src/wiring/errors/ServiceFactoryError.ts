import { CustomErrorBase } from '@plinth/errors';

/**
 * A service factory threw while creating an instance; the cause says why.
 *
 * @public
 */
export class ServiceFactoryError extends CustomErrorBase {
  readonly name = 'ServiceFactoryError' as const;

  constructor(
    readonly serviceId: string,
    readonly pluginId: string | undefined,
    cause: unknown,
  ) {
    super(
      pluginId
        ? `Service '${serviceId}' could not be created for plugin '${pluginId}'.`
        : `Service '${serviceId}' could not be created.`,
      cause,
    );
  }
}
