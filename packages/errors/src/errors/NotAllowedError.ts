import { CustomErrorBase } from './CustomErrorBase';

/**
 * The caller is authenticated but not permitted to do this; HTTP 403.
 *
 * @public
 */
export class NotAllowedError extends CustomErrorBase {
  readonly name = 'NotAllowedError' as const;
}
