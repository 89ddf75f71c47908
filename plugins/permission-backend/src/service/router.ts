import {
  createJsonBodyParser,
  type AuthService,
  type HttpAuthService,
  type RootConfigService,
} from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import express from 'express';
import type { PolicyEvaluator } from './PolicyEvaluator';
import {
  parseAuthorizeRequest,
  type AuthorizeRequestItem,
} from './request/parseAuthorizeRequest';

/** What the router serves from. */
export interface RouterOptions {
  evaluator: PolicyEvaluator;
  auth: AuthService;
  httpAuth: HttpAuthService;
  /** The root config, for the JSON body limits of `backend.http`. */
  config: RootConfigService;
}

/**
 * The permission plugin's API, for mounting under `/api/permission`:
 * `POST /authorize` with Backstage's batch format, and `GET /health`.
 * The router parses its own JSON bodies, after the credentials barrier.
 */
export function createRouter(options: RouterOptions): express.Router {
  const { evaluator, auth, httpAuth, config } = options;
  // As in Backstage: with the default auth policy off, anonymous callers
  // stand for users of a backend without sign-in, and may see conditions.
  const anonymousMaySeeConditions =
    config.getOptionalBoolean(
      'backend.auth.dangerouslyDisableDefaultAuthPolicy',
    ) ?? false;
  const router = express.Router();
  router.use('/authorize', createJsonBodyParser({ config: options.config }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.post('/authorize', async (req, res) => {
    // Backstage allows users and anonymous callers here; a service
    // principal is answered too, from its access restrictions, with the
    // function the permissions service uses for it.
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service', 'none'],
    });
    const items = parseAuthorizeRequest(req.body);
    const isDirect =
      (auth.isPrincipal(credentials, 'user') && !credentials.principal.actor) ||
      (auth.isPrincipal(credentials, 'none') && !anonymousMaySeeConditions);
    if (isDirect) {
      assertEveryResourceNamed(
        items,
        auth.isPrincipal(credentials, 'user')
          ? 'a user calling directly'
          : 'an anonymous caller',
      );
    }
    const decisions = await evaluator.evaluateBatched(
      items.map(({ permission, resourceRef }) =>
        resourceRef === undefined
          ? { permission }
          : { permission, resourceRef },
      ),
      { credentials },
    );
    res.json({
      items: decisions.map((decision, i) => ({ id: items[i].id, ...decision })),
    });
  });

  return router;
}

/**
 * A policy's conditions describe which resources a user may reach, so
 * only a plugin, asking on the user's behalf, receives them, as in
 * Backstage: a user calling directly, or an anonymous caller, must name
 * the resources of every resource permission.
 *
 * @throws {@link @plinth/errors#InputError} naming the items without one.
 */
function assertEveryResourceNamed(
  items: AuthorizeRequestItem[],
  caller: string,
): void {
  const unnamed = items.flatMap(({ permission, resourceRef }, index) =>
    permission.type === 'resource' && resourceRef === undefined
      ? [`items[${index}] ('${permission.name}')`]
      : [],
  );
  if (unnamed.length === 0) {
    return;
  }
  throw new InputError(
    `Invalid authorize request: ${unnamed.join(', ')} ask${unnamed.length === 1 ? 's' : ''} for a resource permission without a resourceRef, which ${caller} may not do. A policy's conditions go only to plugins acting on a user's behalf; send the resourceRef of each resource to check.`,
  );
}
