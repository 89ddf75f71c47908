import {
  createJsonBodyParser,
  type AuthService,
  type HttpAuthService,
  type JsonObject,
  type RootConfigService,
} from '@plinth/backend-plugin-api';
import { NotAllowedError } from '@plinth/errors';
import express from 'express';
import {
  actionsBasePath,
  type DefaultActionsRegistryService,
} from './DefaultActionsRegistryService';

/**
 * The actions protocol of one plugin, as Backstage serves it on every
 * plugin's router, under `/.backstage/actions`:
 *
 * - `GET v1/actions` lists the actions the caller may see, with JSON
 *   schemas;
 * - `POST v1/actions/:id/invoke` runs one with the body as its input;
 * - `POST v2/actions/:id/invoke` runs one with a body of input and secrets;
 * - `GET v1/status` tells services whether there are any.
 *
 * The plugin router's credentials barrier runs first. The router parses
 * the JSON bodies of these routes only, within `backend.http`'s limits,
 * as the platform parses none and the plugin's own routes may want theirs
 * unread.
 *
 * @example
 * ```ts
 * httpRouter.use(createActionsRouter({ registry, httpAuth, auth, config }));
 * ```
 * @public
 */
export function createActionsRouter(options: {
  registry: DefaultActionsRegistryService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  /**
   * Read for `backend.http.jsonBodyLimit` and `jsonBodyMaxDepth`.
   * @defaultValue none: a body of at most 1 MiB nested at most 64 levels
   */
  config?: RootConfigService;
}): express.Router {
  const { registry, httpAuth, auth, config } = options;
  const router = express.Router();
  router.use(actionsBasePath, createJsonBodyParser({ config }));
  router.get(`${actionsBasePath}/v1/actions`, async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json({ actions: await registry.listVisibleTo(credentials) });
  });
  router.get(`${actionsBasePath}/v1/status`, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json({ hasActions: registry.hasActions() });
  });
  for (const version of ['v1', 'v2'] as const) {
    router.post(
      `${actionsBasePath}/${version}/actions/:actionId/invoke`,
      async (req, res) => {
        const credentials = await httpAuth.credentials(req);
        // Reached only when the plugin turned its credentials barrier off.
        if (auth.isPrincipal(credentials, 'none')) {
          throw new NotAllowedError(
            'Actions must be invoked by an authenticated user or service, not by an anonymous request. Send a token.',
          );
        }
        // An absent body is an empty input, as Backstage's express 4
        // parser makes it; v2 wraps the input beside the secrets.
        const body = (req.body ?? {}) as JsonObject;
        const result = await registry.invoke({
          id: String(req.params.actionId),
          input: version === 'v2' ? body.input : body,
          secrets: version === 'v2' ? body.secrets : undefined,
          credentials,
        });
        res.json(result);
      },
    );
  }
  return router;
}
