import {
  type CacheService,
  coreServices,
  createBackendPlugin,
} from '@plinth/backend-plugin-api';
import { startTestBackend } from '@plinth/backend-test-utils';
import { cacheServiceFactory } from './cacheServiceFactory';

describe('cacheServiceFactory', () => {
  it('gives each plugin its own namespace in one shared store', async () => {
    const caches = new Map<string, CacheService>();
    const probe = (pluginId: string) =>
      createBackendPlugin({
        pluginId,
        register(env) {
          env.registerInit({
            deps: { cache: coreServices.cache },
            async init({ cache }) {
              caches.set(pluginId, cache);
              await cache.set('greeting', `from ${pluginId}`);
            },
          });
        },
      });
    const backend = await startTestBackend({
      features: [cacheServiceFactory, probe('catalog'), probe('todo')],
    });
    await expect(caches.get('catalog')!.get('greeting')).resolves.toBe(
      'from catalog',
    );
    await expect(caches.get('todo')!.get('greeting')).resolves.toBe(
      'from todo',
    );
    await backend.stop();
    await expect(caches.get('todo')!.get('greeting')).rejects.toThrow(
      'The cache store is closed because the backend stopped; use the cache only before the root shutdown hooks run.',
    );
  });
});
