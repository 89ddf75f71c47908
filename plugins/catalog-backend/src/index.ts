/**
 * The software catalog plugin. Add it to a backend with
 * `backend.add(import('@plinth/plugin-catalog-backend'))`.
 *
 * @packageDocumentation
 */
export { catalogPlugin as default, catalogPlugin } from './plugin';
export {
  CATALOG_ERRORS_TOPIC,
  type CatalogErrorsEventPayload,
} from './processing/catalogErrorsEvent';
export { CATALOG_ENTITY_CHANGE_TOPIC } from './history/publishChanges';
export type { EntityChange } from './history/historyRows';
export type { ChangeSource } from './history/changeSource';
