import type { Entity } from '@plinth/catalog-model';
import type {
  EntitiesCatalog,
  EntityPermissionFilter,
} from '../entities/EntitiesCatalog';
import type { WriteProgress } from '../database/readWriteProgress';
import type { StoredError } from '../shared/toStoredError';

/**
 * Where one affected entity stands, as the status routes and `?wait=`
 * answers show it: `pending` until it is processed and stitched; then
 * `stitched` when it is served (with `errors` when its last processing
 * reported any, which are also in its `status.items`), or `failed` when
 * its processing failed before it was ever served.
 *
 * @internal
 */
export interface EntityWriteStatus {
  entityRef: string;
  status: 'pending' | 'stitched' | 'failed';
  processed: boolean;
  stitched: boolean;
  errors?: StoredError[];
}

/**
 * The progress of a write, as far as the caller may see it.
 *
 * @internal
 */
export interface WriteReport {
  /** Every affected entity is processed and stitched. */
  complete: boolean;
  /** The affected entities the caller may read, by ref. */
  entities: EntityWriteStatus[];
  /**
   * How many affected entities are left out because the caller may not
   * read them, or because, under a conditional read permission, they are
   * not served yet and so cannot be checked.
   */
  hidden: number;
  /** Refs of affected entities deleted since, that the caller may read. */
  gone: string[];
  /** More entities are affected than `catalog.readYourWrites.maxEntities`. */
  truncated: boolean;
}

/**
 * Describes the progress of a write to a caller with the read filter
 * `readFilter` (`undefined` when it may read every entity), and returns
 * the served entities it may read, parsed.
 *
 * @remarks
 * A reader never learns about entities it may not read: under a
 * conditional decision, only entities that are served and pass the filter
 * are named, exactly those the entity routes would return; the others are
 * only counted. A denied reader sees a count alone.
 */
export async function describeWriteProgress(
  progress: WriteProgress,
  options: {
    entitiesCatalog: EntitiesCatalog;
    readFilter: EntityPermissionFilter | undefined;
  },
): Promise<{ report: WriteReport; served: Entity[] }> {
  const servedRefs = progress.entities
    .filter(entity => entity.served)
    .map(entity => entity.entityRef);
  const items =
    servedRefs.length === 0
      ? []
      : await options.entitiesCatalog.getEntitiesByRefs({
          entityRefs: servedRefs,
          ...(options.readFilter && { permissionFilter: options.readFilter }),
        });
  const served = new Map<string, Entity>();
  items.forEach((item, index) => {
    if (item !== null) {
      served.set(servedRefs[index], JSON.parse(item) as Entity);
    }
  });
  const mayReadAll = options.readFilter === undefined;
  const entities: EntityWriteStatus[] = [];
  for (const entity of progress.entities) {
    if (!mayReadAll && !served.has(entity.entityRef)) {
      continue;
    }
    const done = entity.processed && entity.stitched;
    entities.push({
      entityRef: entity.entityRef,
      status: !done ? 'pending' : entity.served ? 'stitched' : 'failed',
      processed: entity.processed,
      stitched: entity.stitched,
      ...(entity.errors.length > 0 && { errors: entity.errors }),
    });
  }
  const complete =
    !progress.truncated &&
    progress.entities.every(entity => entity.processed && entity.stitched);
  return {
    report: {
      complete,
      entities,
      hidden: progress.entities.length - entities.length,
      gone: mayReadAll ? progress.gone : [],
      truncated: progress.truncated,
    },
    served: [...served.values()],
  };
}
