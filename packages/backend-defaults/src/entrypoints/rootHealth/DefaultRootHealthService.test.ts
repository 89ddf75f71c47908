import { mockServices } from '@plinth/backend-test-utils';
import { DefaultRootHealthService } from './DefaultRootHealthService';

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
