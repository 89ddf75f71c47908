import type {
  ApplyConditionsRequestEntry,
  DefinitivePolicyDecision,
  EvaluatePermissionRequest,
  PolicyDecision,
} from '@plinth/plugin-permission-common';
import { createServiceFactory } from '../createServiceFactory';
import { createServiceRef } from '../createServiceRef';
import { DefaultRootPermissionsAuthorizerService } from '../DefaultRootPermissionsAuthorizerService';
import type { BackstageCredentials } from './AuthService';
import { coreServices } from './coreServices';

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
 * Applies conditions on the resources of one plugin, as its
 * `apply-conditions` route does: ALLOW or DENY per entry, in order.
 *
 * @alpha
 */
export type PermissionConditionsApplier = (
  entries: ApplyConditionsRequestEntry[],
) => Promise<DefinitivePolicyDecision[]>;

/**
 * The in-process permission wiring of one backend. The `permission`
 * plugin sets its {@link PermissionsAuthorizer} here during its init, so
 * the permissions service of every plugin in the same backend decides
 * without HTTP; each plugin's permissions registry adds how it applies
 * conditions on its resources, so the authorizer resolves a conditional
 * decision for a resource of this backend without HTTP too.
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
  /**
   * Adds how plugin `pluginId` applies conditions on its resources; its
   * permissions registry calls it once, when created.
   */
  addConditionsApplier(
    pluginId: string,
    applier: PermissionConditionsApplier,
  ): void;
  /** How plugin `pluginId` applies conditions, when it runs in this backend. */
  getConditionsApplier(
    pluginId: string,
  ): PermissionConditionsApplier | undefined;
}

/**
 * The {@link RootPermissionsAuthorizerService}, id
 * `alpha.core.permissionsAuthorizer`. Its default factory builds the
 * {@link DefaultRootPermissionsAuthorizerService}: Backstage's backend
 * has no factory for this ref, and uses a ref's default when none is
 * added, so the `permission` plugin starts there too.
 *
 * @alpha
 */
export const permissionsAuthorizerServiceRef =
  createServiceRef<RootPermissionsAuthorizerService>({
    id: 'alpha.core.permissionsAuthorizer',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          rootInstanceMetadata: coreServices.rootInstanceMetadata,
          rootLifecycle: coreServices.rootLifecycle,
        },
        factory: deps => DefaultRootPermissionsAuthorizerService.create(deps),
      }),
  });
