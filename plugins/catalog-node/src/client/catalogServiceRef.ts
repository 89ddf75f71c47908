import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@plinth/backend-plugin-api';
import type { CatalogService } from './CatalogService';
import { DefaultCatalogService } from './DefaultCatalogService';

/**
 * The catalog client for other backend plugins: a plugin-scoped
 * {@link CatalogService} that calls the catalog over HTTP on behalf of the
 * credentials each call passes. Without a factory of its own, the backend
 * uses {@link DefaultCatalogService} with the plugin's discovery and auth.
 *
 * @example
 * ```ts
 * createBackendPlugin({
 *   pluginId: 'scorecards',
 *   register(env) {
 *     env.registerInit({
 *       deps: { catalog: catalogServiceRef, httpRouter: coreServices.httpRouter, httpAuth: coreServices.httpAuth },
 *       async init({ catalog, httpRouter, httpAuth }) {
 *         httpRouter.use(async (req, res) => {
 *           const credentials = await httpAuth.credentials(req);
 *           res.json(await catalog.getEntities({ filter: { kind: 'component' } }, { credentials }));
 *         });
 *       },
 *     });
 *   },
 * });
 * ```
 * @public
 */
export const catalogServiceRef = createServiceRef<CatalogService>({
  id: 'catalog-client',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { discovery: coreServices.discovery, auth: coreServices.auth },
      factory: ({ discovery, auth }) =>
        DefaultCatalogService.create({ discovery, auth }),
    }),
});
