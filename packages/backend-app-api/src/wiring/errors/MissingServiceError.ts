import { CustomErrorBase } from '@plinth/errors';

/**
 * A plugin, module, factory or loader depends on a service that nothing
 * provides.
 *
 * @public
 */
export class MissingServiceError extends CustomErrorBase {
  readonly name = 'MissingServiceError' as const;

  /**
   * @param requestedBy - who depends on it, such as `plugin 'catalog'`.
   * @param fix - how such a service is usually provided.
   */
  constructor(
    readonly serviceId: string,
    readonly requestedBy: string[],
    fix: string,
  ) {
    super(
      `Service '${serviceId}' is required by ${requestedBy.join(', ')} but no factory provides it; ${fix}.`,
    );
  }
}
