import fs from 'node:fs';
import path from 'node:path';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type BackendFeature,
  type UrlReaderService,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import { NotAllowedError } from '@plinth/errors';
import {
  catalogProcessingExtensionPoint,
  parseEntityYaml,
  type CatalogProcessor,
} from '@plinth/plugin-catalog-node';
import codeOwnersModule from './index';

const fixtures = path.join(__dirname, '__fixtures__', 'monorepo');

/** Refuses every URL, as Backstage's URL reader refuses `file:` URLs. */
const backstageLikeReader: UrlReaderService = {
  readUrl: async url => {
    throw refuse(url);
  },
  readTree: async url => {
    throw refuse(url);
  },
  search: async url => {
    throw refuse(url);
  },
};

function refuse(url: string): Error {
  return new NotAllowedError(
    `Reading from '${url}' is not allowed. You may need to configure an integration for the target host, or add it to the configured list of allowed hosts at 'backend.reading.allow'`,
  );
}

/** Starts the module with a stand-in catalog and returns its processor. */
async function startModule(features: BackendFeature[]) {
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
    features: [catalogStub, codeOwnersModule, ...features],
  });
  return { backend, processor: processors[0] };
}

const cartFile = path.join(fixtures, 'services/cart/catalog-info.yaml');

async function ownerOfCart(
  processor: CatalogProcessor,
  origin: { type: string; target: string },
): Promise<unknown> {
  const location = { type: 'file', target: cartFile };
  const [result] = parseEntityYaml(fs.readFileSync(cartFile), location);
  if (result?.type !== 'entity') {
    throw new Error('the cart fixture holds no entity');
  }
  const entity = await processor.preProcessEntity!(
    result.entity,
    location,
    () => {},
    origin,
    { get: async () => undefined, set: async () => {} },
  );
  return entity.spec?.owner;
}

describe('catalogModuleCodeOwners', () => {
  it('reads the CODEOWNERS file of an entity from a config file location from disk when the URL reader refuses file: URLs', async () => {
    const configLocation = {
      type: 'file',
      target: path.join(fixtures, 'catalog-info.yaml'),
    };
    const { backend, processor } = await startModule([
      createServiceFactory({
        service: coreServices.urlReader,
        deps: {},
        factory: () => backstageLikeReader,
      }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            locations: [configLocation],
            codeowners: {
              mappings: { '@acme/platform': 'group:ops/platform' },
            },
          },
        },
      }),
    ]);
    try {
      await expect(ownerOfCart(processor, configLocation)).resolves.toBe(
        'group:ops/platform',
      );
      // A location registered through the API never reads the disk.
      await expect(
        ownerOfCart(processor, { type: 'file', target: cartFile }),
      ).resolves.toBeUndefined();
    } finally {
      await backend.stop();
    }
  });

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
