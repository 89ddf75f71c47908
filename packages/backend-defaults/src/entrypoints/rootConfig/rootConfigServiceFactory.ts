import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { DefaultRootConfigService } from '../../config';

/**
 * Provides `core.rootConfig` from `app-config.yaml` (or the `--config`
 * files), environment overrides and the config schemas of the backend's
 * packages; see {@link DefaultRootConfigService}.
 *
 * @example
 * ```ts
 * const backend = createBackend();
 * backend.add(rootConfigServiceFactory);
 * ```
 * @public
 */
export const rootConfigServiceFactory = createServiceFactory({
  service: coreServices.rootConfig,
  deps: {},
  factory: () => DefaultRootConfigService.create(),
});
