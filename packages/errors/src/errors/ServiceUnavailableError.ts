import { CustomErrorBase } from './CustomErrorBase';

/**
 * A dependency or the service itself cannot answer right now; HTTP 503.
 *
 * @public
 */
export class ServiceUnavailableError extends CustomErrorBase {
  readonly name = 'ServiceUnavailableError' as const;
}
