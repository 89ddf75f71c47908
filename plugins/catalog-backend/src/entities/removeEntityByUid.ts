import type { Knex } from 'knex';
import { markForStitching } from '../database/markForStitching';

/**
 * Deletes the entity with the uid, in one transaction: its refresh state
 * row goes, and with it (by cascade) its served entity, search rows,
 * relations and the references it made. The entities at the other end of
 * relations it originated are marked for stitching, so they stop showing
 * them. Its parents' result hashes are reset, so their next processing
 * writes their children again instead of seeing nothing changed, and a
 * child removed by mistake comes back if its parent still emits it. No
 * entity with the uid: nothing happens.
 *
 * @internal
 */
export async function removeEntityByUid(
  knex: Knex,
  uid: string,
): Promise<void> {
  await knex.transaction(async trx => {
    const found = await trx.raw<{ rows: Array<{ entity_ref: string }> }>(
      'SELECT entity_ref FROM refresh_state WHERE entity_id = ?',
      [uid],
    );
    if (found.rows.length === 0) {
      return;
    }
    const entityRef = found.rows[0].entity_ref;
    const peers = await trx.raw<{ rows: Array<{ ref: string }> }>(
      'SELECT source_entity_ref AS ref FROM relations WHERE originating_entity_id = ? UNION SELECT target_entity_ref AS ref FROM relations WHERE originating_entity_id = ?',
      [uid, uid],
    );
    await trx.raw(
      `UPDATE refresh_state SET result_hash = 'child-was-deleted', next_update_at = CURRENT_TIMESTAMP WHERE entity_ref IN (SELECT source_entity_ref FROM refresh_state_references WHERE target_entity_ref = ? AND source_entity_ref IS NOT NULL)`,
      [entityRef],
    );
    await trx.raw('DELETE FROM refresh_state WHERE entity_id = ?', [uid]);
    const entityRefs = peers.rows
      .map(row => row.ref)
      .filter(ref => ref !== entityRef);
    if (entityRefs.length > 0) {
      await markForStitching(trx, { entityRefs });
    }
  });
}
