import type {
  HttpAuthService,
  HttpRouterServiceAuthPolicy,
} from '@plinth/backend-plugin-api';
import type { RequestHandler } from 'express';

/**
 * The middleware that requires credentials on every request of a plugin,
 * except on paths its auth policies open: `unauthenticated` lets any
 * request through, `user-cookie` also accepts the limited user cookie.
 * A policy path covers itself and everything below it by whole segments:
 * `/health` covers `/health` and `/health/x`, not `/healthz`.
 *
 * @remarks
 * Credentials problems reach the error handler as the errors `httpAuth`
 * throws: `AuthenticationError` (401) and `NotAllowedError` (403).
 */
export function createCredentialsBarrier(options: {
  httpAuth: HttpAuthService;
  /** Read on every request, so policies added later count. */
  policies: readonly HttpRouterServiceAuthPolicy[];
}): RequestHandler {
  const { httpAuth, policies } = options;
  return async (req, _res, next) => {
    let allowLimitedAccess = false;
    for (const policy of policies) {
      if (!covers(policy.path, req.path)) {
        continue;
      }
      if (policy.allow === 'unauthenticated') {
        next();
        return;
      }
      allowLimitedAccess ||= policy.allow === 'user-cookie';
    }
    await httpAuth.credentials(req, {
      allow: ['user', 'service'],
      allowLimitedAccess,
    });
    next();
  };
}

function covers(policyPath: string, requestPath: string): boolean {
  const prefix = policyPath.replace(/\/+$/, '');
  return (
    prefix === '' ||
    requestPath === prefix ||
    requestPath.startsWith(`${prefix}/`)
  );
}
