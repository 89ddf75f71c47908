import type { Request, Response } from 'express';
import type {
  BackstageCredentials,
  BackstagePrincipalTypes,
} from './AuthService';

/**
 * Reads credentials from incoming requests.
 *
 * @public
 */
export interface HttpAuthService {
  /**
   * The request's credentials; throws `AuthenticationError` when missing or
   * invalid and `NotAllowedError` when the principal type is not allowed.
   */
  credentials<TAllowed extends keyof BackstagePrincipalTypes = 'unknown'>(
    req: Request,
    options?: { allow?: TAllowed[]; allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials<BackstagePrincipalTypes[TAllowed]>>;
  /** Sets a cookie that authenticates later requests from the same browser. */
  issueUserCookie(
    res: Response,
    options?: { credentials?: BackstageCredentials },
  ): Promise<{ expiresAt: Date }>;
}
