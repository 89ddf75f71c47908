import { CustomErrorBase } from '@plinth/errors';

/**
 * Something that exists once per backend depends on a plugin-scoped
 * service.
 *
 * @public
 */
export class ServiceScopeError extends CustomErrorBase {
  readonly name = 'ServiceScopeError' as const;
}
