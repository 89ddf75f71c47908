import { CustomErrorBase } from './CustomErrorBase';

/**
 * The caller could not be authenticated; HTTP 401.
 *
 * @public
 */
export class AuthenticationError extends CustomErrorBase {
  readonly name = 'AuthenticationError' as const;
}
