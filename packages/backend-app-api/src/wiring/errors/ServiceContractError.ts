import { CustomErrorBase } from '@plinth/errors';

/**
 * A service the backend drives itself, such as a lifecycle service, lacks
 * the methods the backend needs.
 *
 * @public
 */
export class ServiceContractError extends CustomErrorBase {
  readonly name = 'ServiceContractError' as const;
}
