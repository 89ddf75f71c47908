import { InputError } from '@plinth/errors';
import { assertValidId } from './assertValidId';
import type { BackendFeature } from './BackendFeature';
import { collectRegistration } from './collectRegistration';
import { describeCallSite } from './describeCallSite';
import { describeValue } from '@plinth/errors';
import type { InternalBackendRegistrations } from './FeatureRegistrations';
import type { BackendModuleRegistrationPoints } from './RegistrationPoints';

/**
 * Options for {@link createBackendModule}.
 *
 * @public
 */
export interface CreateBackendModuleOptions {
  /** The id of the plugin this module extends. */
  pluginId: string;
  /** The module id, unique among the modules of its plugin. */
  moduleId: string;
  /**
   * Declares the module's extension points and init. Called once for each
   * backend the module is added to.
   */
  register(env: BackendModuleRegistrationPoints): void;
}

/**
 * Creates a backend module: a feature that extends one plugin through its
 * extension points and receives that plugin's plugin-scoped services.
 *
 * @example
 * ```ts
 * export const catalogModuleExample = createBackendModule({
 *   pluginId: 'catalog',
 *   moduleId: 'example',
 *   register(env) {
 *     env.registerInit({
 *       deps: { catalog: catalogProcessingExtensionPoint, logger: coreServices.logger },
 *       async init({ catalog, logger }) {
 *         catalog.addProcessor(new ExampleProcessor(logger));
 *       },
 *     });
 *   },
 * });
 * ```
 * @throws {@link @plinth/errors#InputError} when an id or the register option is invalid.
 * @public
 */
export function createBackendModule(
  options: CreateBackendModuleOptions,
): BackendFeature {
  const { pluginId, moduleId, register } = options ?? {};
  assertValidId('createBackendModule', 'plugin id', pluginId);
  assertValidId('createBackendModule', 'module id', moduleId);
  if (typeof register !== 'function') {
    throw new InputError(
      `createBackendModule() for module '${moduleId}' of plugin '${pluginId}' needs a register function, got ${describeValue(register)}.`,
    );
  }
  const feature: InternalBackendRegistrations = {
    $$type: '@backstage/BackendFeature',
    version: 'v1',
    featureType: 'registrations',
    description: describeCallSite(1),
    getRegistrations() {
      const { extensionPoints, init } = collectRegistration(
        `module '${moduleId}' for plugin '${pluginId}'`,
        register,
      );
      return [
        { type: 'module-v1.1', pluginId, moduleId, extensionPoints, init },
      ];
    },
  };
  return feature;
}
