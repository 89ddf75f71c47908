import { CustomErrorBase } from '@plinth/errors';

/**
 * A value passed to `backend.add()` or yielded by a feature loader is not a
 * feature this backend can load, or a feature's registration is malformed.
 *
 * @public
 */
export class InvalidFeatureError extends CustomErrorBase {
  readonly name = 'InvalidFeatureError' as const;
}
