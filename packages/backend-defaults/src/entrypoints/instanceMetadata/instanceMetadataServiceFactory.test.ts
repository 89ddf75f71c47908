import {
  createBackendModule,
  createBackendPlugin,
} from '@plinth/backend-plugin-api';
import {
  instanceMetadataServiceRef,
  type BackendFeatureMeta,
} from '@plinth/backend-plugin-api/alpha';
import { startTestBackend } from '@plinth/backend-test-utils';
import { instanceMetadataServiceFactory } from './instanceMetadataServiceFactory';

describe('instanceMetadataServiceFactory', () => {
  it('lists every installed plugin followed by its modules', async () => {
    let seen: BackendFeatureMeta[] = [];
    await startTestBackend({
      features: [
        instanceMetadataServiceFactory,
        createBackendPlugin({
          pluginId: 'reader',
          register(env) {
            env.registerInit({
              deps: { instanceMetadata: instanceMetadataServiceRef },
              async init({ instanceMetadata }) {
                seen = instanceMetadata.getInstalledFeatures();
              },
            });
          },
        }),
        createBackendPlugin({
          pluginId: 'todo',
          register(env) {
            env.registerInit({ deps: {}, async init() {} });
          },
        }),
        createBackendModule({
          pluginId: 'todo',
          moduleId: 'slack',
          register(env) {
            env.registerInit({ deps: {}, async init() {} });
          },
        }),
      ],
    });
    expect(seen).toEqual(
      expect.arrayContaining([
        { type: 'plugin', pluginId: 'reader' },
        { type: 'plugin', pluginId: 'todo' },
        { type: 'module', pluginId: 'todo', moduleId: 'slack' },
      ]),
    );
    expect(seen).toHaveLength(3);
  });
});
