import { CustomErrorBase } from '@plinth/errors';

/**
 * Something that exists once per backend depends on a plugin-scoped
 * service.
 *
 * @public
 */
export class ServiceScopeError extends CustomErrorBase {
  readonly name = 'ServiceScopeError' as const;

  /** A root-scoped service's factory depends on a plugin-scoped service. */
  static rootDependsOnPlugin(
    serviceId: string,
    depId: string,
    depName: string,
  ): ServiceScopeError {
    return new ServiceScopeError(
      `Root-scoped service '${serviceId}' depends on plugin-scoped service '${depId}' (deps.${depName}); a root-scoped service may only depend on root-scoped services.`,
    );
  }

  /** A feature loader depends on a plugin-scoped service. */
  static loaderDependsOnPlugin(
    loader: string,
    depId: string,
    depName: string,
  ): ServiceScopeError {
    return new ServiceScopeError(
      `The ${loader} depends on plugin-scoped service '${depId}' (deps.${depName}); loaders run before any plugin exists, so they may only depend on root-scoped services.`,
    );
  }

  private constructor(message: string) {
    super(message);
  }
}
