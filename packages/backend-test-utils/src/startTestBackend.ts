import {
  createSpecializedBackend,
  type Backend,
} from '@plinth/backend-app-api';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
  instanceMetadataServiceFactory,
  connectionsServiceFactory,
  permissionsAuthorizerServiceFactory,
} from '@plinth/backend-defaults/alpha';
import { apiTokensServiceFactory } from '@plinth/backend-defaults/apiTokens';
import {
  createRootHttpRouterServiceFactory,
  httpRouterServiceFactory,
  urlReaderServiceFactory,
} from '@plinth/backend-defaults';
import type {
  BackendFeature,
  ServiceFactory,
} from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import type { Server } from 'node:http';
import { mockServices } from './services/mockServices';
import { afterTestFile } from './afterTestFile';

/**
 * Options for {@link startTestBackend}.
 *
 * @public
 */
export interface StartTestBackendOptions {
  /**
   * Plugins, modules and service factories to start; factories replace the
   * mock defaults for their services.
   * @defaultValue `[]`
   */
  features?: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
}

/**
 * A started test backend.
 *
 * @public
 */
export interface TestBackend {
  /**
   * The backend's HTTP server, listening on 127.0.0.1 on a free port;
   * pass it to supertest.
   */
  server: Server;
  /** Runs the shutdown hooks; also done after the test file's last test. */
  stop(): Promise<void>;
}

const started = new Set<Backend>();

/**
 * Starts a backend in-process with mock core services and the real HTTP
 * server on a free port, for integration tests of plugins and modules.
 * Requests without a token count as `mockCredentials.user()`; send
 * `mockCredentials.*.header()` for others. WebSocket handlers are served
 * by the same server; their upgrades need a token whatever the default
 * credentials, as on Backstage. Backends still running after the test
 * file's last test are stopped, and with them their open sockets.
 *
 * @example
 * ```ts
 * const { server } = await startTestBackend({ features: [todoPlugin] });
 * const response = await request(server).get('/api/todo/items');
 * expect(response.status).toBe(200);
 * ```
 * @throws {@link @plinth/backend-app-api#BackendValidationError} when the
 *   features do not fit together; {@link @plinth/backend-app-api#BackendStartupError}
 *   when plugins or modules fail to start.
 * @public
 */
export async function startTestBackend(
  options: StartTestBackendOptions = {},
): Promise<TestBackend> {
  let server: Server | undefined;
  let port = 0;
  const backend = createSpecializedBackend({
    defaultServiceFactories: [
      ...defaultMockServiceFactories(),
      createRootHttpRouterServiceFactory({
        listen: { host: '127.0.0.1', port: 0 },
        onListening: address => {
          server = address.server;
          port = address.port;
        },
      }),
      mockServices.discovery.factory({
        baseUrl: () => `http://127.0.0.1:${port}`,
      }),
    ],
    handleSignals: false,
  });
  for (const feature of options.features ?? []) {
    backend.add(feature);
  }
  await backend.start();
  started.add(backend);
  return {
    get server() {
      if (!server) {
        throw new InputError(
          'This test backend has no server of its own: a feature replaced core.rootHttpRouter, so take the server from that factory instead.',
        );
      }
      return server;
    },
    stop: async () => {
      started.delete(backend);
      await backend.stop();
    },
  };
}

afterTestFile('stop backends', async () => {
  const backends = [...started];
  started.clear();
  await Promise.all(backends.map(b => b.stop()));
});

/**
 * The factories `startTestBackend` uses for services the test does not
 * provide, apart from the HTTP server and discovery, which it makes
 * itself. The plugin router, the URL reader, the actions services and the
 * connections service and API tokens are the real ones: the router and the actions have no outside effects, and
 * the reader reads only what the mock config allows (files below the
 * repository, no http hosts); pass `mockServices.urlReader.factory({ ... })`
 * to serve fixed content.
 */
function defaultMockServiceFactories(): ServiceFactory[] {
  return [
    mockServices.rootConfig.factory(),
    mockServices.rootLogger.factory(),
    mockServices.logger.factory(),
    mockServices.rootLifecycle.factory(),
    mockServices.lifecycle.factory(),
    mockServices.auth.factory(),
    mockServices.httpAuth.factory(),
    mockServices.userInfo.factory(),
    mockServices.scheduler.factory(),
    mockServices.database.factory(),
    mockServices.rootHealth.factory(),
    mockServices.cache.factory(),
    mockServices.auditor.factory(),
    mockServices.permissions.factory(),
    mockServices.permissionsRegistry.factory(),
    mockServices.rootSystemMetadata.factory(),
    mockServices.metrics.factory(),
    mockServices.tracing.factory(),
    httpRouterServiceFactory,
    urlReaderServiceFactory,
    actionsRegistryServiceFactory,
    actionsServiceFactory,
    instanceMetadataServiceFactory,
    // createBackend() provides events.service, and Backstage's ref of it
    // has no default of its own.
    mockServices.events.factory(),
    // The real one, as Backstage has no mock: it reads the connections of
    // the test's config and reaches nothing outside.
    connectionsServiceFactory,
    // The real one, so a test that adds the real auth service gets the API
    // tokens it verifies; it connects to its in-memory PGlite only when a
    // test uses a token.
    apiTokensServiceFactory,
    // The real slot: empty unless the test installs the permission plugin,
    // whose authorizer the real permissions service then asks in-process.
    permissionsAuthorizerServiceFactory,
  ];
}
