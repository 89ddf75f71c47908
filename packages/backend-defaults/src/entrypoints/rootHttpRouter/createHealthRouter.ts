import type {
  HealthStatus,
  RootHealthService,
} from '@plinth/backend-plugin-api';
import express, { type Router } from 'express';

/** Where the health routes live; the request log puts them at debug. */
export const healthPathPrefix = '/.backstage/health/';

/**
 * The health routes for load balancers and orchestrators:
 * `GET /.backstage/health/v1/liveness` and `/readiness` answer 200
 * `{ status: 'ok' }`, or 503 `{ status: 'error', message: reason }`.
 */
export function createHealthRouter(health: RootHealthService): Router {
  const router = express.Router();
  const answer =
    (check: () => Promise<HealthStatus>): express.RequestHandler =>
    async (_req, res) => {
      const { ok, reason } = await check();
      res.setHeader('Cache-Control', 'no-store');
      if (ok) {
        res.status(200).json({ status: 'ok' });
      } else {
        res
          .status(503)
          .json({ status: 'error', message: reason ?? 'not healthy' });
      }
    };
  router.get(
    `${healthPathPrefix}v1/liveness`,
    answer(() => health.getLiveness()),
  );
  router.get(
    `${healthPathPrefix}v1/readiness`,
    answer(() => health.getReadiness()),
  );
  return router;
}
