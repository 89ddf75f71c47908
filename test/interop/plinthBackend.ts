import type { BackendFeature, JsonObject } from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  TestDatabases,
  mockServices,
  startTestBackend,
  type TestDatabaseId,
} from '@plinth/backend-test-utils';
import type { AddressInfo } from 'node:net';

/** PGlite for every file that starts a Plinth backend, PostgreSQL when configured. */
export const databases = TestDatabases.create();

/** A Plinth test backend running published Backstage features. */
export interface PlinthBackend {
  /** Such as `http://127.0.0.1:38211`. */
  origin: string;
  /** Every line any plugin logged. */
  logger: MockLoggerService;
  stop(): Promise<void>;
}

/**
 * Starts Plinth's test backend (mock core services, real HTTP server) with
 * `features`, which may be Backstage's: the engine takes any feature that
 * follows the protocol, whatever package typed it.
 */
export async function startPlinthBackend(options: {
  features: unknown[];
  config?: JsonObject;
  database?: TestDatabaseId;
}): Promise<PlinthBackend> {
  const logger = MockLoggerService.create();
  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      mockServices.rootLogger.factory({ logger }),
      databases.factory(options.database ?? 'PGLITE'),
      // createBackend() provides events.service; the test backend's
      // defaults do not, and Backstage's eventsServiceRef (events-node 0.5)
      // has no default factory to fall back on.
      mockServices.events.factory(),
      ...(options.features as BackendFeature[]),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, logger, stop: backend.stop };
}
