import {
  createSpecializedBackend,
  type Backend,
} from '@plinth/backend-app-api';
import { startWithFailureReport } from './startWithFailureReport';
import { defaultServiceFactories } from './defaultServiceFactories';

/**
 * Creates a backend with the default implementation of every core
 * service: configuration from `app-config.yaml`, winston logging, an
 * express server on `backend.listen`, PGlite or PostgreSQL, and the rest.
 * A factory passed to `backend.add()` replaces the default for its service.
 *
 * When `start()` fails and the caller does not handle the rejection, the
 * process prints the reason (the message alone for configuration and
 * wiring mistakes) and exits with code 1. A start that `stop()` ends early,
 * as on SIGINT or SIGTERM, has not failed: the stop decides the exit code.
 *
 * @example
 * ```ts
 * const backend = createBackend();
 * backend.add(import('@plinth/plugin-catalog-backend'));
 * backend.start();
 * ```
 * @public
 */
export function createBackend(): Backend {
  const backend = createSpecializedBackend({
    defaultServiceFactories: [...defaultServiceFactories],
  });
  return {
    add: feature => backend.add(feature),
    start: () => startWithFailureReport(() => backend.start()),
    stop: () => backend.stop(),
  };
}
