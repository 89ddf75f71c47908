import type {
  EntitiesCatalog,
  EntityJson,
  GetEntitiesByRefsRequest,
} from '../entities/EntitiesCatalog';

/**
 * `getEntitiesByRefs` in consecutive requests of at most `chunkSize` refs
 * (`catalog.queryLimits.maxEntityRefs`, as one `POST /entities/by-refs`
 * may ask for): the lookup binds one SQL parameter per ref, and PostgreSQL
 * refuses a statement with more than 65,535.
 *
 * @internal
 */
export async function lookUpRefs(
  entitiesCatalog: EntitiesCatalog,
  request: GetEntitiesByRefsRequest,
  chunkSize: number,
): Promise<Array<EntityJson | null>> {
  const found: Array<EntityJson | null> = [];
  for (let i = 0; i < request.entityRefs.length; i += chunkSize) {
    found.push(
      ...(await entitiesCatalog.getEntitiesByRefs({
        ...request,
        entityRefs: request.entityRefs.slice(i, i + chunkSize),
      })),
    );
  }
  return found;
}
