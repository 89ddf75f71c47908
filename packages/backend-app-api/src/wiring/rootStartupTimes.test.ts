import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import {
  rootStartupTimesServiceRef,
  type RootStartupTimesService,
} from './rootStartupTimes';

/** A plugin that hands the startup times service to `seen` after start. */
function reportingPlugin(seen: (times: RootStartupTimesService) => void) {
  return createBackendPlugin({
    pluginId: 'reporter',
    register(env) {
      env.registerInit({
        deps: {
          times: rootStartupTimesServiceRef,
          lifecycle: coreServices.lifecycle,
        },
        async init({ times, lifecycle }) {
          lifecycle.addStartupHook(() => seen(times));
        },
      });
    },
  });
}

describe('rootStartupTimesServiceRef', () => {
  it('gives the init duration of every plugin that started, modules included', async () => {
    const clock = jest.spyOn(performance, 'now');
    let now = 0;
    clock.mockImplementation(() => now);
    let times: RootStartupTimesService | undefined;
    try {
      await startTestBackend({
        features: [
          reportingPlugin(t => (times = t)),
          createBackendPlugin({
            pluginId: 'slow',
            register(env) {
              env.registerInit({
                deps: {},
                async init() {
                  now += 1500;
                },
              });
            },
          }),
          createBackendModule({
            pluginId: 'slow',
            moduleId: 'extra',
            register(env) {
              env.registerInit({
                deps: {},
                async init() {
                  now += 250;
                },
              });
            },
          }),
        ],
      });
    } finally {
      clock.mockRestore();
    }
    const durations = times!.getPluginInitDurations();
    expect(durations.get('slow')).toBe(1.75);
    expect(durations.has('reporter')).toBe(true);
  });

  it('leaves out a plugin that failed to start', async () => {
    let times: RootStartupTimesService | undefined;
    await startTestBackend({
      features: [
        reportingPlugin(t => (times = t)),
        createBackendPlugin({
          pluginId: 'broken',
          register(env) {
            env.registerInit({
              deps: {},
              async init() {
                throw new Error('no database');
              },
            });
          },
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              startup: {
                plugins: { broken: { onPluginBootFailure: 'continue' } },
              },
            },
          },
        }),
      ],
    });
    expect([...times!.getPluginInitDurations().keys()]).toEqual(['reporter']);
  });
});
