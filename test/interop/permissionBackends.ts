import { createBackendModule as createBackstageModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint as backstagePolicyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { createBackendModule } from '@plinth/backend-plugin-api';
import type { PermissionPolicy } from '@plinth/plugin-permission-node';
import { policyExtensionPoint } from '@plinth/plugin-permission-node/alpha';

/**
 * A permission backend the wire cases run against, with `policy`
 * installed through its `permission.policy` extension point. Backstage's
 * published one is there as the reference: a case that passes on it and
 * fails on Plinth's is a difference on the wire, not a wrong expectation.
 */
export interface PermissionBackendUnderTest {
  /** Names the backend in the case titles. */
  name: string;
  /** The permission plugin and a policy module for it. */
  features(policy: PermissionPolicy): unknown[];
}

/** Plinth's `@plinth/plugin-permission-backend` with a Plinth policy module. */
const plinthPermissionBackend: PermissionBackendUnderTest = {
  name: "Plinth's plugin-permission-backend",
  features: policy => [
    import('@plinth/plugin-permission-backend'),
    createBackendModule({
      pluginId: 'permission',
      moduleId: 'interop-policy',
      register(env) {
        env.registerInit({
          deps: { policies: policyExtensionPoint },
          async init({ policies }) {
            policies.setPolicy(policy);
          },
        });
      },
    }),
  ],
};

/** Backstage's `@backstage/plugin-permission-backend` with a Backstage policy module. */
const backstagePermissionBackend: PermissionBackendUnderTest = {
  name: "Backstage's plugin-permission-backend",
  features: policy => [
    import('@backstage/plugin-permission-backend'),
    createBackstageModule({
      pluginId: 'permission',
      moduleId: 'interop-policy',
      register(env) {
        env.registerInit({
          deps: { policies: backstagePolicyExtensionPoint },
          async init({ policies }) {
            policies.setPolicy(policy);
          },
        });
      },
    }),
  ],
};

/** Every permission backend the wire cases run against. */
export const permissionBackends: PermissionBackendUnderTest[] = [
  plinthPermissionBackend,
  backstagePermissionBackend,
];
