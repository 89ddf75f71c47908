import { coreServices, createBackendModule } from '@plinth/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@plinth/plugin-catalog-node';
import { CodeOwnersProcessor } from './CodeOwnersProcessor';

/**
 * The catalog module that fills a missing `spec.owner` from CODEOWNERS
 * files; configured under `catalog.codeowners`.
 *
 * @example
 * ```ts
 * backend.add(import('@plinth/plugin-catalog-backend-module-codeowners'));
 * ```
 * @public
 */
export const catalogModuleCodeOwners = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'codeowners',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        reader: coreServices.urlReader,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ catalog, reader, config, logger }) {
        catalog.addProcessor(
          CodeOwnersProcessor.fromConfig(config, { reader, logger }),
        );
      },
    });
  },
});
