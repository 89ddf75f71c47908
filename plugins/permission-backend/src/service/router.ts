import {
  createJsonBodyParser,
  type HttpAuthService,
  type RootConfigService,
} from '@plinth/backend-plugin-api';
import type { EvaluatePermissionResponseBatch } from '@plinth/plugin-permission-common';
import express from 'express';
import type { PolicyEvaluator } from './PolicyEvaluator';
import { parseAuthorizeRequest } from './request/parseAuthorizeRequest';

/** What the router serves from. */
export interface RouterOptions {
  evaluator: PolicyEvaluator;
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
  const { evaluator, httpAuth } = options;
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
    const decisions = await evaluator.evaluate(
      items.map(({ permission, resourceRef }) =>
        resourceRef === undefined
          ? { permission }
          : { permission, resourceRef },
      ),
      { credentials },
    );
    const response: EvaluatePermissionResponseBatch = {
      items: decisions.map((decision, i) => ({ id: items[i].id, ...decision })),
    };
    res.json(response);
  });

  return router;
}
