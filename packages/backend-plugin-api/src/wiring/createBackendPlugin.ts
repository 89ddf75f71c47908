import { InputError } from '@plinth/errors';
import { assertValidId } from './assertValidId';
import type { BackendFeature } from './BackendFeature';
import { collectRegistration } from './collectRegistration';
import { describeCallSite } from './describeCallSite';
import { describeValue } from '@plinth/errors';
import type { InternalBackendRegistrations } from './FeatureRegistrations';
import type { BackendPluginRegistrationPoints } from './RegistrationPoints';

/**
 * Options for {@link createBackendPlugin}.
 *
 * @public
 */
export interface CreateBackendPluginOptions {
  /** The plugin id; its routes are served under `/api/<pluginId>`. */
  pluginId: string;
  /**
   * Declares the plugin's extension points and init. Called once for each
   * backend the plugin is added to, so state created here is per backend.
   */
  register(env: BackendPluginRegistrationPoints): void;
}

/**
 * Creates a backend plugin: a feature with its own id, services and routes.
 *
 * @example
 * ```ts
 * export const examplePlugin = createBackendPlugin({
 *   pluginId: 'example',
 *   register(env) {
 *     env.registerInit({
 *       deps: { logger: coreServices.logger, httpRouter: coreServices.httpRouter },
 *       async init({ logger, httpRouter }) {
 *         httpRouter.use(createExampleRouter(logger));
 *       },
 *     });
 *   },
 * });
 * ```
 * @throws {@link @plinth/errors#InputError} when the id or register option is invalid.
 * @public
 */
export function createBackendPlugin(
  options: CreateBackendPluginOptions,
): BackendFeature {
  const pluginId = options?.pluginId;
  assertValidId('createBackendPlugin', 'plugin id', pluginId);
  const register = options.register;
  if (typeof register !== 'function') {
    throw new InputError(
      `createBackendPlugin() for plugin '${pluginId}' needs a register function, got ${describeValue(register)}.`,
    );
  }
  const feature: InternalBackendRegistrations = {
    $$type: '@backstage/BackendFeature',
    version: 'v1',
    featureType: 'registrations',
    description: describeCallSite(1),
    getRegistrations() {
      const { extensionPoints, init } = collectRegistration(
        `plugin '${pluginId}'`,
        register as never,
      );
      return [{ type: 'plugin-v1.1', pluginId, extensionPoints, init }];
    },
  };
  return feature;
}
