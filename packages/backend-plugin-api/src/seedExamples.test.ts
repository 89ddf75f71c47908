/**
 * The examples of "Building Backend Plugins and Modules" (the seed
 * document), written against this package. Each keeps the shape of the
 * original; where the original does not compile as printed (the module
 * example uses `logger` without importing `coreServices` or destructuring
 * it), the fix is the smallest one. The catalog module example lives in
 * `@plinth/plugin-catalog-node`, beside the extension point it uses.
 */
import {
  MockLoggerService,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createExtensionPoint,
  createServiceFactory,
  type HttpRouterService,
  type LoggerService,
} from './index';

type Handler = (
  req: { path: string },
  res: { json(body: unknown): void },
) => void;

/** Captures the handlers plugins register, so the test can call them. */
function capturingHttpRouter() {
  const handlers = new Map<string, Handler[]>();
  const factory = createServiceFactory({
    service: coreServices.httpRouter,
    deps: { metadata: coreServices.pluginMetadata },
    factory: ({ metadata }): HttpRouterService => ({
      use(handler) {
        const list = handlers.get(metadata.getId()) ?? [];
        handlers.set(metadata.getId(), [
          ...list,
          handler as unknown as Handler,
        ]);
      },
      addAuthPolicy() {},
      addWebSocketHandler() {
        throw new Error('This test router takes no WebSocket handlers.');
      },
    }),
  });
  const call = (pluginId: string, path: string) => {
    let body: unknown;
    handlers.get(pluginId)?.[0]?.({ path }, { json: b => (body = b) });
    return body;
  };
  return { factory, call };
}

describe('the seed examples', () => {
  it('runs the plugin that uses a router and a logger', async () => {
    function createExampleRouter(logger: LoggerService): Handler {
      return (req, res) => {
        logger.info(`GET ${req.path}`);
        res.json({ message: 'hello' });
      };
    }
    const examplePlugin = createBackendPlugin({
      pluginId: 'example',
      register(env) {
        env.registerInit({
          deps: {
            logger: coreServices.logger,
            httpRouter: coreServices.httpRouter,
          },
          async init({ logger, httpRouter }) {
            const example = createExampleRouter(logger);
            logger.info('Hello from example plugin');
            httpRouter.use(example as never);
          },
        });
      },
    });

    const logger = MockLoggerService.create();
    const router = capturingHttpRouter();
    await startTestBackend({
      features: [
        examplePlugin,
        router.factory,
        mockServices.rootLogger.factory({ logger }),
      ],
    });

    expect(router.call('example', '/hello')).toEqual({ message: 'hello' });
    expect(logger.lines.filter(l => l.fields.plugin === 'example')).toEqual([
      expect.objectContaining({ message: 'Hello from example plugin' }),
      expect.objectContaining({ message: 'GET /hello' }),
    ]);
  });

  it('runs the plugin that registers an extension point and reads what modules added', async () => {
    type Example = { name: string };
    interface ExamplesExtensionPoint {
      addExample(example: Example): void;
    }
    const examplesExtensionPoint = createExtensionPoint<ExamplesExtensionPoint>(
      {
        id: 'example.examples',
      },
    );
    const examplePlugin = createBackendPlugin({
      pluginId: 'example',
      register(env) {
        const examples = new Array<Example>();
        env.registerExtensionPoint(examplesExtensionPoint, {
          addExample(example) {
            examples.push(example);
          },
        });
        env.registerInit({
          deps: { logger: coreServices.logger },
          async init({ logger }) {
            logger.info(
              `The following examples have been registered: ${examples.map(e => e.name).join(', ')}`,
            );
          },
        });
      },
    });
    const exampleModule = (name: string) =>
      createBackendModule({
        pluginId: 'example',
        moduleId: name,
        register(env) {
          env.registerInit({
            deps: { examples: examplesExtensionPoint },
            async init({ examples }) {
              examples.addExample({ name });
            },
          });
        },
      });

    const logger = MockLoggerService.create();
    await startTestBackend({
      features: [
        examplePlugin,
        exampleModule('first'),
        exampleModule('second'),
        mockServices.rootLogger.factory({ logger }),
      ],
    });
    expect(logger.messages('info')).toContain(
      'The following examples have been registered: first, second',
    );
  });

  it('runs the plugin that reads its configuration', async () => {
    let value: string | undefined;
    const examplePlugin = createBackendPlugin({
      pluginId: 'example',
      register(env) {
        env.registerInit({
          deps: { config: coreServices.rootConfig },
          async init({ config }) {
            value = config.getOptionalString('example.value');
          },
        });
      },
    });
    await startTestBackend({
      features: [
        examplePlugin,
        mockServices.rootConfig.factory({
          data: { example: { value: 'from config' } },
        }),
      ],
    });
    expect(value).toBe('from config');
  });
});
