import { CustomErrorBase } from '@plinth/errors';

/**
 * A factory tries to replace a service that the backend provides itself.
 *
 * @public
 */
export class ReservedServiceError extends CustomErrorBase {
  readonly name = 'ReservedServiceError' as const;

  constructor(serviceId: string, origin: string) {
    super(
      `Service '${serviceId}' is provided by the backend itself and cannot be replaced; remove the factory ${origin}.`,
    );
  }
}
