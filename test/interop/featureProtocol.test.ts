import { rootLifecycleServiceFactory as backstageRootLifecycleServiceFactory } from '@backstage/backend-defaults/rootLifecycle';
import {
  coreServices as backstageCoreServices,
  createBackendPlugin as createBackstagePlugin,
  createServiceFactory as createBackstageServiceFactory,
  createServiceRef as createBackstageServiceRef,
} from '@backstage/backend-plugin-api';
import * as proxyPackage from '@backstage/plugin-proxy-backend';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  createServiceRef,
} from '@plinth/backend-plugin-api';
import {
  startBackstageBackend,
  type BackstageBackend,
} from './backstageBackend';
import { startFixtureServer, type FixtureServer } from './fixtureServer';
import { startPlinthBackend, type PlinthBackend } from './plinthBackend';
import { send } from './requests';

// The details of the feature protocol both engines must agree on, each
// shown with a feature typed by the other side's packages: default factories
// on service refs, `default` wrapped by how a package is imported, and a
// root lifecycle implementation brought by the backend.

let plinth: PlinthBackend | undefined;
let backstage: BackstageBackend | undefined;
let fixtures: FixtureServer | undefined;
afterEach(async () => {
  await plinth?.stop();
  await backstage?.stop();
  await fixtures?.close();
  plinth = undefined;
  backstage = undefined;
  fixtures = undefined;
});

describe('service refs with a default factory', () => {
  it("lets a Backstage plugin on Plinth use a Backstage service ref's default factory", async () => {
    const greetingServiceRef = createBackstageServiceRef<{ greet(): string }>({
      id: 'interop.greeting',
      defaultFactory: async service =>
        createBackstageServiceFactory({
          service,
          deps: { pluginMetadata: backstageCoreServices.pluginMetadata },
          factory: ({ pluginMetadata }) => ({
            greet: () =>
              `hello from the default factory of ${pluginMetadata.getId()}`,
          }),
        }),
    });
    const greetingPlugin = createBackstagePlugin({
      pluginId: 'interop-greeting',
      register(env) {
        env.registerInit({
          deps: {
            greeting: greetingServiceRef,
            httpRouter: backstageCoreServices.httpRouter,
          },
          async init({ greeting, httpRouter }) {
            httpRouter.use((req, res, next) => {
              if (req.path === '/greeting') {
                res.json({ greeting: greeting.greet() });
                return;
              }
              next();
            });
          },
        });
      },
    });
    plinth = await startPlinthBackend({ features: [greetingPlugin] });
    await expect(
      send(`${plinth.origin}/api/interop-greeting/greeting`),
    ).resolves.toEqual({
      status: 200,
      body: { greeting: 'hello from the default factory of interop-greeting' },
    });
  });

  it("lets a Plinth plugin on Backstage use a Plinth service ref's default factory", async () => {
    const greetingServiceRef = createServiceRef<{ greet(): string }>({
      id: 'interop.greeting',
      defaultFactory: async service =>
        createServiceFactory({
          service,
          deps: { pluginMetadata: coreServices.pluginMetadata },
          factory: ({ pluginMetadata }) => ({
            greet: () =>
              `hello from the default factory of ${pluginMetadata.getId()}`,
          }),
        }),
    });
    const greetingPlugin = createBackendPlugin({
      pluginId: 'interop-greeting',
      register(env) {
        env.registerInit({
          deps: {
            greeting: greetingServiceRef,
            httpRouter: coreServices.httpRouter,
          },
          async init({ greeting, httpRouter }) {
            httpRouter.use((req, res, next) => {
              if (req.path === '/greeting') {
                res.json({ greeting: greeting.greet() });
                return;
              }
              next();
            });
          },
        });
      },
    });
    backstage = await startBackstageBackend({
      features: [greetingPlugin],
      database: 'PGLITE',
    });
    await expect(
      send(`${backstage.origin}/api/interop-greeting/greeting`, {
        headers: { authorization: backstage.authorization },
      }),
    ).resolves.toEqual({
      status: 200,
      body: { greeting: 'hello from the default factory of interop-greeting' },
    });
  });
});

describe('default exports', () => {
  it("accepts a CommonJS Backstage package the way an ES module's import() gives it, default wrapped twice", async () => {
    fixtures = await startFixtureServer();
    // Node's import() of a CommonJS package gives `{ default: module.exports }`,
    // and the package's own `default` export sits inside that.
    const imported = Promise.resolve({ default: proxyPackage });
    plinth = await startPlinthBackend({
      features: [imported],
      config: {
        proxy: {
          endpoints: {
            '/fixture': {
              target: `${fixtures.origin}/echo`,
              credentials: 'dangerously-allow-unauthenticated',
            },
          },
        },
      },
    });
    await expect(
      send(`${plinth.origin}/api/proxy/fixture/ping`),
    ).resolves.toMatchObject({
      status: 200,
      body: { method: 'GET', url: '/echo/ping' },
    });
  });
});

describe("Backstage's root lifecycle service on Plinth", () => {
  it('runs the startup and shutdown hooks of a Backstage plugin through it', async () => {
    const calls: string[] = [];
    const hooksPlugin = createBackstagePlugin({
      pluginId: 'interop-hooks',
      register(env) {
        env.registerInit({
          deps: { lifecycle: backstageCoreServices.rootLifecycle },
          async init({ lifecycle }) {
            lifecycle.addStartupHook(() => {
              calls.push('startup');
            });
            lifecycle.addShutdownHook(() => {
              calls.push('shutdown');
            });
          },
        });
      },
    });
    plinth = await startPlinthBackend({
      features: [backstageRootLifecycleServiceFactory, hooksPlugin],
    });
    expect(calls).toEqual(['startup']);
    await plinth.stop();
    plinth = undefined;
    expect(calls).toEqual(['startup', 'shutdown']);
  });
});
