import type {
  EvaluatePermissionRequest,
  PolicyDecision,
} from '@plinth/plugin-permission-common';
import { createServiceRef } from '../createServiceRef';
import type { BackstageCredentials } from './AuthService';

/**
 * Decides permission requests in this process, exactly as the permission
 * backend's `POST /api/permission/authorize` decides them for a caller
 * with these credentials: service principals by their access
 * restrictions, everyone else by the installed policy, with a conditional
 * decision for a request that names a resource resolved by the plugin
 * that owns it.
 *
 * @alpha
 */
export interface PermissionsAuthorizer {
  /**
   * One decision per request, in order; CONDITIONAL only for requests
   * without a `resourceRef`.
   */
  evaluate(
    requests: EvaluatePermissionRequest[],
    options: { credentials: BackstageCredentials },
  ): Promise<PolicyDecision[]>;
}

/**
 * A slot, one per backend, that the `permission` plugin fills with its
 * {@link PermissionsAuthorizer} during its init, so the permissions
 * service of every plugin in the same backend decides in-process rather
 * than over HTTP.
 *
 * @alpha
 */
export interface RootPermissionsAuthorizerService {
  /**
   * Installs this backend's authorizer; the `permission` plugin calls it
   * once, from its init.
   */
  setAuthorizer(authorizer: PermissionsAuthorizer): void;
  /**
   * The authorizer of this backend: waits for the `permission` plugin's
   * init when that plugin is installed here, and gives `undefined` when
   * it is not (or did not set one by the end of startup), so the caller
   * asks the permission backend over HTTP instead.
   */
  getAuthorizer(): Promise<PermissionsAuthorizer | undefined>;
}

/**
 * The {@link RootPermissionsAuthorizerService}, id
 * `alpha.core.permissionsAuthorizer`; `@plinth/backend-defaults` provides
 * its factory.
 *
 * @alpha
 */
export const permissionsAuthorizerServiceRef =
  createServiceRef<RootPermissionsAuthorizerService>({
    id: 'alpha.core.permissionsAuthorizer',
    scope: 'root',
  });
