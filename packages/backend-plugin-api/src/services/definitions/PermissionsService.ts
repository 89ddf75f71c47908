import type {
  AuthorizePermissionRequest,
  AuthorizePermissionResponse,
  EvaluatorRequestOptions,
  PermissionEvaluator,
  QueryPermissionRequest,
  QueryPermissionResponse,
} from '@plinth/plugin-permission-common';
import type { BackstageCredentials } from './AuthService';

/**
 * Options for {@link PermissionsService} calls: whose request is being
 * authorized.
 *
 * @public
 */
export interface PermissionsServiceRequestOptions extends EvaluatorRequestOptions {
  credentials: BackstageCredentials;
}

/**
 * Decides whether the caller behind some credentials may do something.
 * Answers come in the order of the requests, one each.
 *
 * @public
 */
export interface PermissionsService extends PermissionEvaluator {
  /** ALLOW or DENY for each request. */
  authorize(
    requests: AuthorizePermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<AuthorizePermissionResponse[]>;
  /**
   * ALLOW, DENY, or CONDITIONAL with the conditions a resource must meet,
   * for resource permissions; for filtering many resources at once.
   */
  authorizeConditional(
    requests: QueryPermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<QueryPermissionResponse[]>;
}
