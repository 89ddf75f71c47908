import fs from 'node:fs';
import path from 'node:path';
import { createBackendPlugin } from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import {
  catalogProcessingExtensionPoint,
  parseEntityYaml,
  type CatalogProcessor,
} from '@plinth/plugin-catalog-node';
import codeOwnersModule from './index';

const fixtures = path.join(__dirname, '__fixtures__', 'monorepo');

describe('catalogModuleCodeOwners', () => {
  it('adds a processor that fills owners with the configured mappings, through the real URL reader', async () => {
    const processors: CatalogProcessor[] = [];
    const catalogStub = createBackendPlugin({
      pluginId: 'catalog',
      register(env) {
        env.registerExtensionPoint(catalogProcessingExtensionPoint, {
          addProcessor: (...added) => {
            processors.push(...added.flat());
          },
          addEntityProvider: () => {},
          addPlaceholderResolver: () => {},
          setOnProcessingErrorHandler: () => {},
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const backend = await startTestBackend({
      features: [
        catalogStub,
        codeOwnersModule,
        // The real URL reader, reading the fixtures as a file location
        // of the catalog makes them readable.
        mockServices.rootConfig.factory({
          data: {
            backend: { reading: { fileRoots: [fixtures] } },
            catalog: {
              codeowners: {
                mappings: { '@acme/platform': 'group:ops/platform' },
              },
            },
          },
        }),
      ],
    });
    try {
      expect(processors.map(p => p.getProcessorName())).toEqual([
        'CodeOwnersProcessor',
      ]);
      const target = path.join(fixtures, 'services/cart/catalog-info.yaml');
      const location = { type: 'file', target };
      const [result] = parseEntityYaml(fs.readFileSync(target), location);
      if (result?.type !== 'entity') {
        throw new Error('the cart fixture holds no entity');
      }
      const entity = await processors[0].preProcessEntity!(
        result.entity,
        location,
        () => {},
        location,
        { get: async () => undefined, set: async () => {} },
      );
      expect(entity.spec?.owner).toBe('group:ops/platform');
    } finally {
      await backend.stop();
    }
  });
});
