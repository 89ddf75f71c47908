import {
  coreServices,
  createBackendPlugin,
  type HealthStatus,
  type RootHealthService,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import { rootLifecycleServiceFactory } from '../rootLifecycle';
import {
  DefaultRootHealthService,
  rootHealthServiceFactory,
} from './rootHealthServiceFactory';

describe('rootHealthServiceFactory', () => {
  it('turns ready only after every plugin started, and not ready when the backend stops', async () => {
    const seen: Record<string, HealthStatus> = {};
    let probe: RootHealthService | undefined;
    const backend = await startTestBackend({
      features: [
        rootLifecycleServiceFactory,
        rootHealthServiceFactory,
        createBackendPlugin({
          pluginId: 'probe',
          register(env) {
            env.registerInit({
              deps: {
                health: coreServices.rootHealth,
                lifecycle: coreServices.lifecycle,
                root: coreServices.rootLifecycle,
              },
              async init({ health, lifecycle, root }) {
                probe = health;
                seen.init = await health.getReadiness();
                lifecycle.addStartupHook(async () => {
                  seen.pluginStartup = await health.getReadiness();
                });
                root.addShutdownHook(async () => {
                  seen.rootShutdown = await health.getReadiness();
                });
              },
            });
          },
        }),
      ],
    });
    seen.started = await probe!.getReadiness();
    await backend.stop();
    expect(seen).toEqual({
      init: { ok: false, reason: "backend is 'starting'" },
      pluginStartup: { ok: false, reason: "backend is 'starting'" },
      started: { ok: true },
      rootShutdown: { ok: false, reason: "backend is 'stopping'" },
    });
  });
});

describe('DefaultRootHealthService', () => {
  it('reports not ready before startup and again once shutdown begins', async () => {
    const lifecycle = mockServices.rootLifecycle();
    const health = DefaultRootHealthService.create({ lifecycle });
    await expect(health.getReadiness()).resolves.toEqual({
      ok: false,
      reason: "backend is 'starting'",
    });
    await lifecycle.startup();
    await expect(health.getReadiness()).resolves.toEqual({ ok: true });
    await lifecycle.beforeShutdown();
    await expect(health.getReadiness()).resolves.toEqual({
      ok: false,
      reason: "backend is 'stopping'",
    });
    await lifecycle.shutdown();
    await expect(health.getReadiness()).resolves.toEqual({
      ok: false,
      reason: "backend is 'stopping'",
    });
  });

  it('stays not ready when shutdown begins before startup finished', async () => {
    const lifecycle = mockServices.rootLifecycle();
    const health = DefaultRootHealthService.create({ lifecycle });
    await lifecycle.beforeShutdown();
    await lifecycle.startup();
    await expect(health.getReadiness()).resolves.toEqual({
      ok: false,
      reason: "backend is 'stopping'",
    });
  });

  it('reports alive in every state', async () => {
    const lifecycle = mockServices.rootLifecycle();
    const health = DefaultRootHealthService.create({ lifecycle });
    await expect(health.getLiveness()).resolves.toEqual({ ok: true });
    await lifecycle.startup();
    await lifecycle.beforeShutdown();
    await expect(health.getLiveness()).resolves.toEqual({ ok: true });
  });
});
