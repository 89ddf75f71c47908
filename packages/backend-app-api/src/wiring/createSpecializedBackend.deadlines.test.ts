import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  createServiceRef,
  type BackendFeature,
} from '@plinth/backend-plugin-api';
import { MockLoggerService, mockServices } from '@plinth/backend-test-utils';
import { createSpecializedBackend } from './createSpecializedBackend';

const never = new Promise<void>(() => {});

function backendWith(logger: MockLoggerService, features: BackendFeature[]) {
  const backend = createSpecializedBackend({
    defaultServiceFactories: [
      mockServices.rootLogger.factory({ logger }),
      mockServices.logger.factory(),
      mockServices.rootLifecycle.factory(),
      mockServices.lifecycle.factory(),
    ],
    handleSignals: false,
    startupProgressIntervalMs: 5000,
    shutdownTimeoutMs: 30_000,
  });
  features.forEach(f => backend.add(f));
  return backend;
}

/** A plugin whose lifecycle hook of the given phase never settles. */
function pluginWithHangingHook(phase: 'startup' | 'shutdown') {
  return createBackendPlugin({
    pluginId: 'todo',
    register(env) {
      env.registerInit({
        deps: { lifecycle: coreServices.lifecycle },
        async init({ lifecycle }) {
          const add =
            phase === 'startup'
              ? lifecycle.addStartupHook
              : lifecycle.addShutdownHook;
          add.call(lifecycle, () => never, { name: 'flush queue' });
        },
      });
    },
  });
}

describe('createSpecializedBackend', () => {
  describe('deadlines', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('names a root service whose creation hangs', async () => {
      const logger = MockLoggerService.create();
      const backend = backendWith(logger, [
        createServiceFactory({
          service: createServiceRef<string>({ id: 'x.server', scope: 'root' }),
          deps: {},
          factory: () => never.then(() => 'x'),
        }),
      ]);
      void backend.start().catch(() => {});
      await jest.advanceTimersByTimeAsync(5000);
      expect(logger.messages('warn')).toEqual([
        "Still creating root services after 5s: 'x.server'. A service that stays in this list is waiting on something in its factory.",
      ]);
    });

    it('names a startup hook that hangs', async () => {
      const logger = MockLoggerService.create();
      const backend = backendWith(logger, [pluginWithHangingHook('startup')]);
      void backend.start().catch(() => {});
      await jest.advanceTimersByTimeAsync(5000);
      expect(logger.messages('warn')).toEqual([
        "Still running startup hooks after 5s: the startup hook 'flush queue' of plugin 'todo'. A hook that stays in this list never settles its promise.",
      ]);
    });

    it('gives up on a shutdown hook that hangs and names it', async () => {
      const logger = MockLoggerService.create();
      const backend = backendWith(logger, [pluginWithHangingHook('shutdown')]);
      await backend.start();
      const stopped = backend.stop();
      const outcome = expect(stopped).rejects.toThrow(
        new Error(
          [
            'Backend stopped with errors:',
            "  - The backend did not finish stopping within 30s; still running: the shutdown hook 'flush queue' of plugin 'todo'. Make those hooks settle, or raise shutdownTimeoutMs.",
            'Every other hook ran; fix the ones above so that resources close cleanly.',
          ].join('\n'),
        ),
      );
      const coded = expect(stopped).rejects.toMatchObject({
        failures: [{ code: 'SHUTDOWN_HOOKS_STILL_RUNNING' }],
      });
      await jest.advanceTimersByTimeAsync(30_000);
      await outcome;
      await coded;
    });

    it('gives up waiting for a start that hangs, then shuts down what started', async () => {
      const logger = MockLoggerService.create();
      const events: string[] = [];
      const backend = backendWith(logger, [
        createBackendPlugin({
          pluginId: 'hanging',
          register(env) {
            env.registerInit({ deps: {}, init: () => never });
          },
        }),
        createBackendPlugin({
          pluginId: 'fine',
          register(env) {
            env.registerInit({
              deps: { lifecycle: coreServices.lifecycle },
              async init({ lifecycle }) {
                lifecycle.addShutdownHook(() => {
                  events.push('fine shut down');
                });
              },
            });
          },
        }),
      ]);
      void backend.start().catch(() => {});
      await jest.advanceTimersByTimeAsync(0);
      const stopped = backend.stop();
      const outcome = expect(stopped).rejects.toThrow(
        new Error(
          [
            'Backend stopped with errors:',
            '  - The backend was still starting 30s after stop() was called; shutting down what has started. Find the init or hook that hangs in the progress warnings, or raise shutdownTimeoutMs.',
            'Every other hook ran; fix the ones above so that resources close cleanly.',
          ].join('\n'),
        ),
      );
      const coded = expect(stopped).rejects.toMatchObject({
        failures: [{ code: 'SHUTDOWN_START_STILL_RUNNING' }],
      });
      await jest.advanceTimersByTimeAsync(30_000);
      await outcome;
      await coded;
      expect(events).toEqual(['fine shut down']);
    });
  });
});
