import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { DefaultRootSystemMetadataService } from './DefaultRootSystemMetadataService';

/**
 * The default `core.rootSystemMetadata`: the plugins of this instance and
 * of the instances `discovery.endpoints` names, with their base URLs.
 *
 * @example
 * ```ts
 * backend.add(rootSystemMetadataServiceFactory);
 * ```
 * @throws {@link @plinth/backend-defaults#ConfigError} when the discovery config is invalid.
 * @public
 */
export const rootSystemMetadataServiceFactory = createServiceFactory({
  service: coreServices.rootSystemMetadata,
  deps: {
    config: coreServices.rootConfig,
    instanceMetadata: coreServices.rootInstanceMetadata,
  },
  factory: ({ config, instanceMetadata }) =>
    DefaultRootSystemMetadataService.create({ config, instanceMetadata }),
});
