import type {
  AuthService,
  HttpAuthService,
  JsonObject,
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
 * - `GET v1/actions` lists the actions with JSON schemas;
 * - `POST v1/actions/:id/invoke` runs one with the body as its input;
 * - `POST v2/actions/:id/invoke` runs one with a body of input and secrets;
 * - `GET v1/status` tells services whether there are any.
 *
 * The plugin router's credentials barrier and body parser run first.
 *
 * @example
 * ```ts
 * httpRouter.use(createActionsRouter({ registry, httpAuth, auth }));
 * ```
 * @public
 */
export function createActionsRouter(options: {
  registry: DefaultActionsRegistryService;
  httpAuth: HttpAuthService;
  auth: AuthService;
}): express.Router {
  const { registry, httpAuth, auth } = options;
  const router = express.Router();
  router.get(`${actionsBasePath}/v1/actions`, async (req, res) => {
    await httpAuth.credentials(req);
    res.json({ actions: registry.list() });
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
