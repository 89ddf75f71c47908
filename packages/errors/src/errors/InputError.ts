import { CustomErrorBase } from './CustomErrorBase';

/**
 * The request or the input a user gave is malformed or invalid; HTTP 400.
 *
 * @public
 */
export class InputError extends CustomErrorBase {
  readonly name = 'InputError' as const;
}
