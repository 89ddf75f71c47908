import { CustomErrorBase } from './CustomErrorBase';

/**
 * The requested resource does not exist; HTTP 404.
 *
 * @public
 */
export class NotFoundError extends CustomErrorBase {
  readonly name = 'NotFoundError' as const;
}
