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
