import { CustomErrorBase } from '@plinth/errors';

/**
 * A service the backend drives itself lacks what the backend needs: a
 * lifecycle service without its hook runner methods, or a config service
 * that fails to read.
 *
 * @public
 */
export class ServiceContractError extends CustomErrorBase {
  readonly name = 'ServiceContractError' as const;

  /** A lifecycle service instance has no method to run a phase's hooks. */
  static lifecycleWithoutRunner(
    serviceId: string,
    pluginId: string | undefined,
    method: string,
  ): ServiceContractError {
    return new ServiceContractError(
      `Service '${serviceId}'${pluginId ? ` for plugin '${pluginId}'` : ''} has no ${method}() method, so the backend cannot run its hooks; build the implementation on LifecycleHooks from '@plinth/backend-app-api'.`,
    );
  }

  /** The config service threw something other than a config error. */
  static configUnreadable(key: string, cause: unknown): ServiceContractError {
    return new ServiceContractError(
      `Service 'core.rootConfig' failed to read '${key}'.`,
      cause,
    );
  }

  private constructor(message: string, cause?: unknown) {
    super(message, cause);
  }
}
