import {
  createJsonBodyParser,
  type AuditorService,
  type BackstageCredentials,
  type Config,
  type HttpAuthService,
  type LoggerService,
  type PermissionsService,
} from '@plinth/backend-plugin-api';
import type {
  ApiTokenCreateRequest,
  ApiTokensService,
} from '@plinth/backend-plugin-api/alpha';
import {
  describeValue,
  InputError,
  NotAllowedError,
  quoteList,
} from '@plinth/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@plinth/plugin-permission-common';
import express, { type Request, type Router } from 'express';
import {
  apiTokenCreatePermission,
  apiTokenDeletePermission,
  apiTokenReadPermission,
} from './apiTokenPermissions';

/**
 * What {@link createApiTokensRouter} needs, all of the permission plugin.
 *
 * @public
 */
export interface ApiTokensRouterOptions {
  /** Read for the body limits of `backend.http.*`. */
  config: Config;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  apiTokens: ApiTokensService;
  auditor: AuditorService;
  logger: LoggerService;
}

const bodyKeys = ['name', 'scopes', 'expiresAt'];

/**
 * The admin API of API tokens, mounted at `/api/permission/tokens`:
 * `POST /` creates a token and answers its secret, the only time anyone
 * sees it; `GET /` lists tokens and `GET /:name` reads one, both without
 * secrets; `DELETE /:name` revokes one. Each route asks the permissions
 * service about its permission (`permission.token.create`, `.read`,
 * `.delete`) for the caller. A token may be as broad as the backend, so
 * grant `permission.token.create` to admins only; while
 * `permission.enabled` is false every signed-in user is allowed it, as
 * every other permission.
 *
 * Creating is refused to two kinds of caller whatever the policy says, so
 * that no credential can mint one broader than itself: an API token, whose
 * child would outlive its expiry and survive its revocation, and a service
 * with access restrictions, whose child could drop them.
 *
 * @example
 * ```ts
 * httpRouter.use(express.Router().use('/tokens', createApiTokensRouter({ config, httpAuth, permissions, apiTokens, auditor, logger })));
 * ```
 * @public
 */
export function createApiTokensRouter(options: ApiTokensRouterOptions): Router {
  const { apiTokens, auditor, logger } = options;
  const router = express.Router();
  router.use(createJsonBodyParser({ config: options.config }));

  router.post('/', async (req, res) => {
    const credentials = await authorize(options, req, apiTokenCreatePermission);
    assertMayCreate(credentials);
    const request = parseCreateBody(req.body, describeCaller(credentials));
    const event = await auditor.createEvent({
      eventId: 'api-token-create',
      severityLevel: 'high',
      request: req,
      meta: { tokenName: request.name },
    });
    try {
      const { token, secret } = await apiTokens.create(request);
      await event.success({
        meta: { scopes: { ...token.scopes }, expiresAt: token.expiresAt },
      });
      logger.info(
        `Created API token '${token.name}' for '${token.createdBy}', expiring at ${token.expiresAt}.`,
      );
      res.status(201).json({ token, secret });
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/', async (req, res) => {
    await authorize(options, req, apiTokenReadPermission);
    res.json({ items: await apiTokens.list() });
  });

  router.get('/:name', async (req, res) => {
    await authorize(options, req, apiTokenReadPermission);
    res.json(await apiTokens.get(String(req.params.name)));
  });

  router.delete('/:name', async (req, res) => {
    const credentials = await authorize(options, req, apiTokenDeletePermission);
    const name = String(req.params.name);
    const event = await auditor.createEvent({
      eventId: 'api-token-revoke',
      severityLevel: 'high',
      request: req,
      meta: { tokenName: name },
    });
    try {
      const token = await apiTokens.revoke(name, {
        revokedBy: describeCaller(credentials),
      });
      await event.success();
      logger.info(
        `Revoked API token '${token.name}' for '${token.revokedBy}'.`,
      );
      res.json(token);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  return router;
}

/**
 * The caller's credentials, once the permissions service allowed them
 * `permission`.
 *
 * @throws `AuthenticationError` (from httpAuth) without credentials;
 *   `NotAllowedError` naming the permission when it is denied.
 */
async function authorize(
  options: ApiTokensRouterOptions,
  req: Request,
  permission: BasicPermission,
): Promise<BackstageCredentials> {
  const credentials = await options.httpAuth.credentials(req, {
    allow: ['user', 'service'],
  });
  const [decision] = await options.permissions.authorize([{ permission }], {
    credentials,
  });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `'${describeCaller(credentials)}' may not ${permission.attributes.action} API tokens: permission '${permission.name}' was denied; ask an admin to grant it in the permission policy.`,
    );
  }
  return credentials;
}

function assertMayCreate(credentials: BackstageCredentials): void {
  const principal = credentials.principal as {
    type: string;
    subject?: string;
    accessRestrictions?: object;
  };
  if (principal.type !== 'service') {
    return;
  }
  if (principal.subject?.startsWith('external:api-token:')) {
    throw new NotAllowedError(
      `'${principal.subject}' may not create API tokens: a token created with an API token could outlive its expiry and survive its revocation. Create tokens as a user or with an unrestricted static token.`,
    );
  }
  if (principal.accessRestrictions) {
    throw new NotAllowedError(
      `'${principal.subject}' may not create API tokens: it has access restrictions, and a new token could be broader than they allow. Create tokens as a user or with an unrestricted static token.`,
    );
  }
}

/** The user's entity ref or the service's subject, as `createdBy`. */
function describeCaller(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? 'unknown';
}

/**
 * The create request from a JSON body; the service checks the values of
 * name and scopes, this only their presence and the expiry's format.
 *
 * @throws `InputError` naming the field.
 */
function parseCreateBody(
  body: unknown,
  createdBy: string,
): ApiTokenCreateRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError(
      `Invalid API token request: the body must be a JSON object with 'name' and optionally 'scopes' and 'expiresAt', got ${describeValue(body)}; send it with 'Content-Type: application/json'.`,
    );
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter(key => !bodyKeys.includes(key));
  if (unknown.length > 0) {
    throw new InputError(
      `Invalid API token request: unknown field ${quoteList(unknown)}; the fields are ${quoteList(bodyKeys, 'and')}.`,
    );
  }
  const request: ApiTokenCreateRequest = {
    name: fields.name as string,
    createdBy,
  };
  if (fields.scopes !== undefined) {
    request.scopes = fields.scopes as ApiTokenCreateRequest['scopes'];
  }
  if (fields.expiresAt !== undefined) {
    const expiresAt =
      typeof fields.expiresAt === 'string'
        ? new Date(fields.expiresAt)
        : undefined;
    if (!expiresAt || Number.isNaN(expiresAt.getTime())) {
      throw new InputError(
        `Invalid API token request: 'expiresAt' must be an ISO 8601 time such as '2026-03-01T00:00:00Z', got ${describeValue(fields.expiresAt)}.`,
      );
    }
    request.expiresAt = expiresAt;
  }
  return request;
}
