import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import {
  metricsServiceRef,
  tracingServiceRef,
} from '@plinth/backend-plugin-api/alpha';
import { startTestBackend } from '../startTestBackend';
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

  it('keeps each plugin in its own cache namespace', async () => {
    const seen: Record<string, unknown> = {};
    const cachePlugin = (pluginId: string) =>
      createBackendPlugin({
        pluginId,
        register(env) {
          env.registerInit({
            deps: { cache: coreServices.cache },
            async init({ cache }) {
              await cache.set('key', pluginId);
              seen[pluginId] = await cache.get('key');
            },
          });
        },
      });
    await startTestBackend({ features: [cachePlugin('a'), cachePlugin('b')] });
    expect(seen).toEqual({ a: 'a', b: 'b' });
  });

  it('serves fixed content to plugins through the mock URL reader', async () => {
    let content = '';
    await startTestBackend({
      features: [
        mockServices.urlReader.factory({ 'https://x.example/a.yaml': 'a: 1' }),
        createBackendPlugin({
          pluginId: 'reader',
          register(env) {
            env.registerInit({
              deps: { urlReader: coreServices.urlReader },
              async init({ urlReader }) {
                const response = await urlReader.readUrl(
                  'https://x.example/a.yaml',
                );
                content = (await response.buffer()).toString();
              },
            });
          },
        }),
      ],
    });
    expect(content).toBe('a: 1');
  });

  it('reports readiness from its lifecycle', async () => {
    const lifecycle = mockServices.rootLifecycle();
    const health = mockServices.rootHealth({ lifecycle });
    await expect(health.getReadiness()).resolves.toMatchObject({ ok: false });
    await lifecycle.startup();
    await expect(health.getReadiness()).resolves.toEqual({ ok: true });
  });

  it('provides the system metadata, metrics and tracing services to test backends', async () => {
    let seen: unknown;
    const backend = await startTestBackend({
      features: [
        createBackendPlugin({
          pluginId: 'todo',
          register(env) {
            env.registerInit({
              deps: {
                system: coreServices.rootSystemMetadata,
                metrics: metricsServiceRef,
                tracing: tracingServiceRef,
              },
              async init({ system, metrics, tracing }) {
                metrics.createCounter('todo.created').add(1);
                seen = {
                  plugins: await system.getInstalledPlugins(),
                  traced: await tracing.startActiveSpan('todo.init', () => 7),
                };
              },
            });
          },
        }),
      ],
    });
    await backend.stop();
    expect(seen).toEqual({
      plugins: [{ pluginId: 'todo', hosts: [] }],
      traced: 7,
    });
  });

  it('reports the system metadata it is given', async () => {
    const plugins = [
      {
        pluginId: 'catalog',
        hosts: [
          {
            internal: 'http://c:7007/api/catalog',
            external: 'https://b.example/api/catalog',
          },
        ],
      },
    ];
    await expect(
      mockServices.rootSystemMetadata({ plugins }).getInstalledPlugins(),
    ).resolves.toEqual(plugins);
  });
});
