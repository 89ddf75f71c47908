import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import { startTestBackend } from '../wiring/startTestBackend';
import { MockLoggerService } from './MockLoggerService';
import { mockServices } from './mockServices';

describe('mockServices', () => {
  it('reads config from an object', () => {
    const config = mockServices.rootConfig({ data: { a: { b: 'c' } } });
    expect(config.getString('a.b')).toBe('c');
    expect(() => config.getNumber('a.b')).toThrow(
      'Invalid config at \'a.b\' (mock-config): expected a number, got "c".',
    );
  });

  it('captures log lines with the fields of child loggers', () => {
    const logger = mockServices.rootLogger();
    logger.child({ plugin: 'todo' }).warn('slow query', { ms: 1200 });
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: 'slow query',
        fields: { plugin: 'todo' },
        meta: { ms: 1200 },
      },
    ]);
  });

  it('gives plugin loggers the plugin id and lifecycles that run hooks', async () => {
    const logger = MockLoggerService.create();
    const events: string[] = [];
    const backend = await startTestBackend({
      features: [
        mockServices.rootLogger.factory({ logger }),
        createBackendPlugin({
          pluginId: 'todo',
          register(env) {
            env.registerInit({
              deps: {
                log: coreServices.logger,
                lifecycle: coreServices.lifecycle,
              },
              async init({ log, lifecycle }) {
                log.info('ready');
                lifecycle.addShutdownHook(() => {
                  events.push('shutdown');
                });
              },
            });
          },
        }),
      ],
    });
    expect(logger.lines.find(l => l.message === 'ready')?.fields).toEqual({
      plugin: 'todo',
    });
    await backend.stop();
    expect(events).toEqual(['shutdown']);
  });

  it('provides standalone lifecycles for unit tests', async () => {
    const lifecycle = mockServices.lifecycle({ pluginId: 'todo' });
    const hook = jest.fn();
    lifecycle.addStartupHook(hook);
    await lifecycle.startup();
    expect(hook).toHaveBeenCalled();
    const root = mockServices.rootLifecycle();
    root.addBeforeShutdownHook(hook);
    await root.beforeShutdown();
    expect(hook).toHaveBeenCalledTimes(2);
  });
});
