/**
 * The permission backend plugin: `POST /api/permission/authorize`, with
 * Backstage's wire format, decided by the policy a module installs
 * through `policyExtensionPoint` of `@plinth/plugin-permission-node/alpha`,
 * and the same decisions in-process for the plugins of its backend. Add
 * it with `backend.add(import('@plinth/plugin-permission-backend'))`.
 *
 * @packageDocumentation
 */
export { permissionPlugin as default } from './plugin';
export {
  PermissionBackendError,
  type PermissionBackendErrorCode,
} from './errors';
