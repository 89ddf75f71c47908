import {
  coreServices,
  createBackendPlugin,
  type SchedulerService,
} from '@plinth/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@plinth/backend-test-utils';
import { schedulerServiceFactory } from './schedulerServiceFactory';
import { waitUntil } from './taskProbes.fixture';

const databases = TestDatabases.create({ ids: ['PGLITE'] });

/** A plugin that schedules one task of each scope and counts their runs. */
function createCountingPlugin(pluginId: string) {
  const state = {
    scheduler: undefined as SchedulerService | undefined,
    runs: { global: 0, local: 0 },
    aborted: 0,
  };
  const plugin = createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init({ scheduler }) {
          state.scheduler = scheduler;
          for (const scope of ['global', 'local'] as const) {
            await scheduler.scheduleTask({
              id: `${pluginId}-${scope}`,
              scope,
              frequency: { hours: 1 },
              timeout: { minutes: 1 },
              fn: async signal => {
                state.runs[scope] += 1;
                if (scope === 'global') {
                  // Held until shutdown aborts it.
                  await new Promise(resolve =>
                    signal.addEventListener('abort', resolve),
                  );
                  state.aborted += 1;
                }
              },
            });
          }
        },
      });
    },
  });
  return { plugin, state };
}

describe('schedulerServiceFactory', () => {
  it("gives each plugin a scheduler of its own that runs the plugin's tasks after start and stops them with the backend", async () => {
    const catalog = createCountingPlugin('catalog');
    const todo = createCountingPlugin('todo');
    const backend = await startTestBackend({
      features: [
        catalog.plugin,
        todo.plugin,
        schedulerServiceFactory,
        databases.factory('PGLITE'),
        mockServices.rootConfig.factory({
          data: { backend: { scheduler: { pollInterval: 'PT0.05S' } } },
        }),
      ],
    });
    await waitUntil(
      () =>
        catalog.state.runs.global === 1 &&
        catalog.state.runs.local === 1 &&
        todo.state.runs.global === 1 &&
        todo.state.runs.local === 1,
    );
    const tasks = await todo.state.scheduler!.getScheduledTasks();
    expect(tasks.map(t => [t.id, t.scope])).toEqual([
      ['todo-global', 'global'],
      ['todo-local', 'local'],
    ]);
    await backend.stop();
    expect([catalog.state.aborted, todo.state.aborted]).toEqual([1, 1]);
  });
});
