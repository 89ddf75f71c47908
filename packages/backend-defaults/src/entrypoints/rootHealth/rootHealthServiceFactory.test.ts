import {
  coreServices,
  createBackendPlugin,
  type HealthStatus,
  type RootHealthService,
} from '@plinth/backend-plugin-api';
import { startTestBackend } from '@plinth/backend-test-utils';
import { rootLifecycleServiceFactory } from '../rootLifecycle';
import { rootHealthServiceFactory } from './rootHealthServiceFactory';

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
