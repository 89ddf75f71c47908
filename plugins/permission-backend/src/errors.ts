import { CustomErrorBase } from '@plinth/errors';

/**
 * What went wrong in a {@link PermissionBackendError}. The README lists
 * each with its meaning and fix.
 *
 * @public
 */
export type PermissionBackendErrorCode =
  | 'POLICY_MISSING'
  | 'POLICY_SET_TWICE'
  | 'POLICY_DECISION_INVALID'
  | 'APPLY_CONDITIONS_FAILED'
  | 'APPLY_CONDITIONS_RESPONSE_INVALID';

/**
 * The permission backend could not decide: no policy (or two) is
 * installed, the policy answered something that is no valid decision for
 * the permission, or the plugin owning a resource failed to apply a
 * conditional decision's conditions. These are faults of the deployment,
 * not of the caller, so they answer 500 and are logged.
 *
 * @public
 */
export class PermissionBackendError extends CustomErrorBase {
  readonly name = 'PermissionBackendError' as const;

  constructor(
    /** What went wrong; stable across releases, unlike the message. */
    readonly code: PermissionBackendErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}
