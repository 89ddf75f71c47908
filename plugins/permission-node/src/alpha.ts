/**
 * Alpha contracts of the permission framework, matching Backstage's
 * `@backstage/plugin-permission-node/alpha`: the extension point through
 * which a module installs the permission backend's policy.
 *
 * @packageDocumentation
 */
import { createExtensionPoint } from '@plinth/backend-plugin-api';
import type { PermissionPolicy } from './policy';

/**
 * What a module may do to the permission backend: install its policy.
 *
 * @alpha
 */
export interface PolicyExtensionPoint {
  /**
   * Installs the policy every permission request is decided by; the
   * permission backend refuses to start when two modules each set one.
   */
  setPolicy(policy: PermissionPolicy): void;
}

/**
 * The permission backend's extension point for its policy, id
 * `permission.policy`.
 *
 * @example
 * ```ts
 * export default createBackendModule({
 *   pluginId: 'permission',
 *   moduleId: 'my-policy',
 *   register(reg) {
 *     reg.registerInit({
 *       deps: { policy: policyExtensionPoint },
 *       async init({ policy }) {
 *         policy.setPolicy(new MyPolicy());
 *       },
 *     });
 *   },
 * });
 * ```
 * @alpha
 */
export const policyExtensionPoint = createExtensionPoint<PolicyExtensionPoint>({
  id: 'permission.policy',
});
