/**
 * The module example of the seed document ("Building Backend Plugins and
 * Modules"), written against the real extension point, with a stand-in
 * catalog plugin that registers it (the real one lives in
 * `@plinth/plugin-catalog-backend`, which this package may not import).
 */

import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  type LoggerService,
} from '@plinth/backend-plugin-api';
import { startTestBackend } from '@plinth/backend-test-utils';
import type { CatalogProcessor } from './processing/CatalogProcessor';
import {
  catalogAnalysisExtensionPoint,
  catalogLocationsExtensionPoint,
  catalogModelExtensionPoint,
  catalogProcessingExtensionPoint,
} from './extensionPoints';

class MyCustomProcessor implements CatalogProcessor {
  constructor(readonly logger: LoggerService) {}
  getProcessorName() {
    return 'MyCustomProcessor';
  }
}

const catalogModuleExampleCustomProcessor = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'example-custom-processor',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ catalog, logger }) {
        catalog.addProcessor(new MyCustomProcessor(logger));
      },
    });
  },
});

describe('catalogProcessingExtensionPoint', () => {
  it('has the id Backstage modules look for', () => {
    expect(catalogProcessingExtensionPoint.id).toBe('catalog.processing');
  });

  it('hands the seed example module the catalog plugin logger and takes its processor', async () => {
    const processors: CatalogProcessor[] = [];
    let catalogLogger: LoggerService | undefined;
    const catalogPlugin = createBackendPlugin({
      pluginId: 'catalog',
      register(env) {
        env.registerExtensionPoint(catalogProcessingExtensionPoint, {
          addProcessor: (...added) => processors.push(...added.flat()),
          addEntityProvider: () => {},
          addPlaceholderResolver: () => {},
          setOnProcessingErrorHandler: () => {},
        });
        env.registerInit({
          deps: { logger: coreServices.logger },
          async init({ logger }) {
            catalogLogger = logger;
          },
        });
      },
    });

    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        Promise.resolve({ default: catalogModuleExampleCustomProcessor }),
      ],
    });
    try {
      expect(processors.map(p => p.getProcessorName())).toEqual([
        'MyCustomProcessor',
      ]);
      expect((processors[0] as MyCustomProcessor).logger).toBe(catalogLogger);
    } finally {
      await backend.stop();
    }
  });
});

describe('catalog extension points', () => {
  it('use the ids of the Backstage catalog', () => {
    expect(
      [
        catalogAnalysisExtensionPoint,
        catalogModelExtensionPoint,
        catalogLocationsExtensionPoint,
      ].map(point => point.id),
    ).toEqual(['catalog.analysis', 'catalog.model', 'catalog.locations']);
  });
});
