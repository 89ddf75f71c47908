import { CustomErrorBase } from './CustomErrorBase';

/**
 * The resource has not changed since the version the caller holds; HTTP 304.
 *
 * @public
 */
export class NotModifiedError extends CustomErrorBase {
  readonly name = 'NotModifiedError' as const;
}
