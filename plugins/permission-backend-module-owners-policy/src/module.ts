import { coreServices, createBackendModule } from '@plinth/backend-plugin-api';
import { policyExtensionPoint } from '@plinth/plugin-permission-node/alpha';
import { OwnersPolicy } from './OwnersPolicy';

/**
 * The permission module that installs {@link OwnersPolicy}; configured
 * under `permission.ownersPolicy`.
 *
 * @example
 * ```ts
 * backend.add(import('@plinth/plugin-permission-backend'));
 * backend.add(import('@plinth/plugin-permission-backend-module-owners-policy'));
 * ```
 * @public
 */
export const permissionModuleOwnersPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'owners-policy',
  register(env) {
    env.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ policy, config }) {
        policy.setPolicy(OwnersPolicy.fromConfig(config));
      },
    });
  },
});
