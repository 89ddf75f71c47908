import {
  coreServices,
  createBackendPlugin,
  type DiscoveryService,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import { discoveryServiceFactory } from './discoveryServiceFactory';

describe('discoveryServiceFactory', () => {
  it('gives every plugin the same discovery, read from config', async () => {
    const seen = new Map<string, DiscoveryService>();
    const probe = (pluginId: string) =>
      createBackendPlugin({
        pluginId,
        register(env) {
          env.registerInit({
            deps: { discovery: coreServices.discovery },
            async init({ discovery }) {
              seen.set(pluginId, discovery);
            },
          });
        },
      });
    await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: { backend: { listen: { port: 7100 } } },
        }),
        discoveryServiceFactory,
        probe('catalog'),
        probe('todo'),
      ],
    });
    expect(seen.get('catalog')).toBe(seen.get('todo'));
    await expect(seen.get('todo')!.getBaseUrl('catalog')).resolves.toBe(
      'http://localhost:7100/api/catalog',
    );
  });
});
