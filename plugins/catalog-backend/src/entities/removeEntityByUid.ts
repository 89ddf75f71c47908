import type { LoggerService } from '@plinth/backend-plugin-api';
import type { Knex } from 'knex';
import {
  describeOrphanDeletion,
  settleOrphans,
  type OrphanStrategy,
} from '../database/entityReferences';
import { markForStitching } from '../database/stitchQueue';
import { runTransaction } from '../database/runTransaction';
import { dueNowAssignments } from '../database/processingQueue';
import { setDeletionSource } from '../history/changeSource';

/**
 * Deletes the entity with the uid, in one transaction, and applies the
 * catalog's orphan rule to what this leaves behind.
 *
 * @remarks
 * The entity's refresh state row goes, and with it (by cascade) its served
 * entity, search rows, relations and its references to the children it
 * emitted. The entities at the other end of relations it originated are
 * marked for stitching, so they stop showing them. The children it
 * emitted that nothing else references then follow `orphanStrategy`:
 * with `'delete'` they are deleted, and theirs after them, down the tree;
 * with `'keep'` they stay, and are stitched again to carry the
 * `backstage.io/orphan` annotation. Children that a provider or another
 * parent still references stay as they are. What was deleted is logged
 * at info once the transaction committed. No entity with the uid: nothing
 * happens.
 *
 * As in Backstage, this does not stop the entity's sources from providing
 * it. Its parents' result hashes are reset and they are made due, so a
 * parent that still emits it writes it again on its next run (at once, or
 * when the run in progress ends). An entity provider that still gives it
 * writes it again on its next full mutation (the built-in providers of
 * config and registered locations make theirs when the catalog starts),
 * or on a delta that adds it. It comes back with a new uid, and its
 * children come back when it is processed again.
 *
 * @internal
 */
export async function removeEntityByUid(
  knex: Knex,
  uid: string,
  options: {
    /** @defaultValue `'delete'`, the default of `catalog.orphanStrategy` */
    orphanStrategy?: OrphanStrategy;
    logger?: LoggerService;
  } = {},
): Promise<void> {
  const orphanStrategy = options.orphanStrategy ?? 'delete';
  const removal = await runTransaction(knex, async tx => {
    const found = await tx.raw<{ rows: Array<{ entity_ref: string }> }>(
      'SELECT entity_ref FROM refresh_state WHERE entity_id = ? FOR UPDATE',
      [uid],
    );
    if (found.rows.length === 0) {
      return undefined;
    }
    const entityRef = found.rows[0].entity_ref;
    const peers = await tx.raw<{ rows: Array<{ ref: string }> }>(
      'SELECT source_entity_ref AS ref FROM relations WHERE originating_entity_id = ? UNION SELECT target_entity_ref AS ref FROM relations WHERE originating_entity_id = ?',
      [uid, uid],
    );
    const children = await tx.raw<{ rows: Array<{ ref: string }> }>(
      'SELECT target_entity_ref AS ref FROM refresh_state_references WHERE source_entity_ref = ?',
      [entityRef],
    );
    await tx.raw(
      `WITH locked AS (
         SELECT entity_id FROM refresh_state
         WHERE entity_ref IN (
           SELECT source_entity_ref FROM refresh_state_references
           WHERE target_entity_ref = ? AND source_entity_ref IS NOT NULL)
         ORDER BY entity_id
         FOR NO KEY UPDATE
       )
       UPDATE refresh_state SET result_hash = 'child-was-deleted', ${dueNowAssignments}
       WHERE entity_id = ANY(ARRAY(SELECT entity_id FROM locked))`,
      [entityRef],
    );
    await setDeletionSource(tx, {
      type: 'api',
      name: 'DELETE /entities/by-uid',
    });
    await tx.raw('DELETE FROM refresh_state WHERE entity_id = ?', [uid]);
    await setDeletionSource(tx, { type: 'orphan-cleanup', name: entityRef });
    const childRefs = children.rows.map(row => row.ref);
    const { deletedRefs, restitchRefs } = await settleOrphans(
      tx,
      childRefs,
      orphanStrategy,
    );
    const deleted = new Set([entityRef, ...deletedRefs]);
    await markForStitching(tx, {
      entityRefs: [...peers.rows.map(row => row.ref), ...restitchRefs].filter(
        ref => !deleted.has(ref),
      ),
    });
    return { entityRef, deletedRefs };
  });
  if (removal && removal.deletedRefs.length > 0) {
    options.logger?.info(
      describeOrphanDeletion(
        removal.deletedRefs,
        `entity '${removal.entityRef}', which emitted them or their ancestors, was removed by uid '${uid}'`,
      ),
    );
  }
}
