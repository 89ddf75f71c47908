import { createExtensionPoint } from '@plinth/backend-plugin-api';
import type { Entity } from '@plinth/catalog-model';
import type { CatalogProcessor } from '../processing/CatalogProcessor';
import type { PlaceholderResolver } from '../processing/PlaceholderResolver';
import type { EntityProvider } from '../providers/EntityProvider';

/**
 * Called with an entity whose processing failed, after the failure is
 * stored, for alerting or metrics.
 *
 * @public
 */
export type CatalogProcessingErrorHandler = (event: {
  unprocessedEntity: Entity;
  errors: Error[];
}) => void | Promise<void>;

/**
 * Lets catalog modules add processors, entity providers and placeholder
 * resolvers.
 *
 * @public
 */
export interface CatalogProcessingExtensionPoint {
  addProcessor(
    ...processors: Array<CatalogProcessor | CatalogProcessor[]>
  ): void;
  addEntityProvider(
    ...providers: Array<EntityProvider | EntityProvider[]>
  ): void;
  /**
   * Handles `$<key>` placeholders in entity files.
   * @throws {@link @plinth/errors#ConflictError} when `key` is already taken.
   */
  addPlaceholderResolver(key: string, resolver: PlaceholderResolver): void;
  /** Replaces the handler called for each failed entity (there is one). */
  setOnProcessingErrorHandler(handler: CatalogProcessingErrorHandler): void;
}

/**
 * The `catalog.processing` extension point.
 *
 * @example
 * ```ts
 * createBackendModule({
 *   pluginId: 'catalog',
 *   moduleId: 'team-labels',
 *   register(env) {
 *     env.registerInit({
 *       deps: { catalog: catalogProcessingExtensionPoint },
 *       async init({ catalog }) {
 *         catalog.addProcessor(new TeamLabelProcessor());
 *       },
 *     });
 *   },
 * });
 * ```
 * @public
 */
export const catalogProcessingExtensionPoint =
  createExtensionPoint<CatalogProcessingExtensionPoint>({
    id: 'catalog.processing',
  });
