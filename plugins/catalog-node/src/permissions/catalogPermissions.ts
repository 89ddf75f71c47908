import type { Entity } from '@plinth/catalog-model';
import {
  createPermission,
  createPermissionResourceRef,
} from '@plinth/plugin-permission-common';

/**
 * One condition of the catalog's entity search, as the `filter` query
 * parameter of `GET /entities` states it: the entity has a value under the
 * dotted path `key` and, when `values` is given, one of those values
 * (both compared case-insensitively). Catalog permission rules translate
 * to these, so a conditional decision becomes part of the SQL that reads
 * entities.
 *
 * @public
 */
export interface EntitiesSearchFilter {
  key: string;
  values?: string[];
}

/**
 * The resource type of catalog entities in the permission framework.
 *
 * @public
 */
export const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

/**
 * Names the `catalog-entity` resource type, owned by plugin `catalog`, for
 * permission rules written against entities and entity search filters.
 *
 * @public
 */
export const catalogEntityPermissionResourceRef = createPermissionResourceRef<
  Entity,
  EntitiesSearchFilter
>().with({ pluginId: 'catalog', resourceType: RESOURCE_TYPE_CATALOG_ENTITY });

/**
 * Reading an entity; conditional decisions filter every read route.
 *
 * @public
 */
export const catalogEntityReadPermission = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Adding entities to the catalog; a basic permission, which user
 * interfaces check before offering to register a location.
 *
 * @public
 */
export const catalogEntityCreatePermission = createPermission({
  name: 'catalog.entity.create',
  attributes: { action: 'create' },
});

/**
 * Deleting an entity (`DELETE /entities/by-uid/:uid`).
 *
 * @public
 */
export const catalogEntityDeletePermission = createPermission({
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Asking for an entity to be processed again (`POST /refresh`).
 *
 * @public
 */
export const catalogEntityRefreshPermission = createPermission({
  name: 'catalog.entity.refresh',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Validating an entity without storing it (`POST /validate-entity`); it
 * has no action, as in Backstage.
 *
 * @public
 */
export const catalogEntityValidatePermission = createPermission({
  name: 'catalog.entity.validate',
  attributes: {},
});

/**
 * Reading registered locations.
 *
 * @public
 */
export const catalogLocationReadPermission = createPermission({
  name: 'catalog.location.read',
  attributes: { action: 'read' },
});

/**
 * Registering a location, dry runs included (`POST /locations`).
 *
 * @public
 */
export const catalogLocationCreatePermission = createPermission({
  name: 'catalog.location.create',
  attributes: { action: 'create' },
});

/**
 * Removing a registered location (`DELETE /locations/:id`).
 *
 * @public
 */
export const catalogLocationDeletePermission = createPermission({
  name: 'catalog.location.delete',
  attributes: { action: 'delete' },
});

/**
 * Analyzing a location before it is registered (`POST /analyze-location`);
 * it has no action, as in Backstage.
 *
 * @public
 */
export const catalogLocationAnalyzePermission = createPermission({
  name: 'catalog.location.analyze',
  attributes: {},
});

/**
 * Reading the catalog's self-diagnosis (`GET /diagnostics`): queue
 * figures over the whole catalog; the entities it lists are those the
 * caller may also read (`catalog.entity.read`). A Plinth addition, which
 * Backstage does not have.
 *
 * @public
 */
export const catalogDiagnosticsReadPermission = createPermission({
  name: 'catalog.diagnostics.read',
  attributes: { action: 'read' },
});

/**
 * Every permission the catalog checks, as its metadata route lists them.
 *
 * @public
 */
export const catalogPermissions = [
  catalogEntityReadPermission,
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationAnalyzePermission,
  catalogDiagnosticsReadPermission,
];
