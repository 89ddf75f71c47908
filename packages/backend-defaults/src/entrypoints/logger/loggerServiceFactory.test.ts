import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { loggerServiceFactory } from './loggerServiceFactory';

describe('loggerServiceFactory', () => {
  it('gives each plugin a child of the root logger with its plugin id', async () => {
    const logger = MockLoggerService.create();
    await startTestBackend({
      features: [
        mockServices.rootLogger.factory({ logger }),
        loggerServiceFactory,
        greetingPlugin('catalog'),
        greetingPlugin('todo'),
      ],
    });
    const plugins = logger.lines
      .filter(l => l.message === 'Hello')
      .map(l => l.fields.plugin as string);
    expect(plugins.sort()).toEqual(['catalog', 'todo']);
  });
});

function greetingPlugin(pluginId: string) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { logger: coreServices.logger },
        async init({ logger }) {
          logger.info('Hello');
        },
      });
    },
  });
}
