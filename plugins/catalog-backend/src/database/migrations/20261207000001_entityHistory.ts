import type { Knex } from 'knex';

/**
 * The history of the served entities. Statement triggers on
 * `final_entities` (one per event, as transition tables require) append
 * one row per created, updated or deleted entity in the writing
 * transaction, so an entry commits or rolls back with its change and no
 * writer can forget it: rows removed by cascades from `refresh_state`
 * are caught too, as the catalog generation's trigger catches them.
 *
 * Each row keeps the id of its transaction (`tx_id`). Readers order the
 * feed by `(tx_id, id)` and serve only rows whose transaction is older
 * than the oldest one still running, so a transaction that commits late
 * with a lower sequence number is never skipped by a reader that moved on.
 *
 * Who changed an entity: a create or update takes the source that last
 * wrote the entity (`refresh_state.change_source`, `change_actor`); a
 * delete takes the transaction-local settings `plinth.change_source` and
 * `plinth.change_actor` that each deleting path sets.
 */
export const migration: Knex.Migration = {
  async up(knex) {
    await knex.schema.alterTable('refresh_state', table => {
      table
        .text('change_source')
        .nullable()
        .comment('Who last wrote unprocessed_entity, as JSON {type, name}');
      table
        .text('change_actor')
        .nullable()
        .comment('The principal of the API call that last wrote it');
    });
    await knex.schema.createTable('entity_history', table => {
      table.comment('One row per change of a served entity');
      table.bigIncrements('id').primary();
      table
        .bigInteger('tx_id')
        .notNullable()
        .comment('pg_current_xact_id() of the writing transaction');
      table.text('entity_id').notNullable();
      table.text('entity_ref').notNullable().comment('Lowercased');
      table
        .text('change_type')
        .notNullable()
        .comment("'created', 'updated' or 'deleted'");
      table
        .text('entity')
        .nullable()
        .comment('Served form after; NULL if deleted');
      table
        .text('previous_entity')
        .nullable()
        .comment('Served form before, for updates and deletes');
      table.text('source').nullable().comment('JSON {type, name}');
      table.text('actor').nullable();
      table
        .timestamp('created_at', { useTz: true })
        .notNullable()
        .defaultTo(knex.fn.now());
      table.index(['tx_id', 'id'], 'entity_history_position_idx');
      table.index(['entity_id', 'id'], 'entity_history_entity_id_idx');
      table.index(['entity_ref', 'id'], 'entity_history_entity_ref_idx');
    });
    await knex.schema.createTable('entity_history_state', table => {
      table.comment('Capture switch, prune watermark and publisher cursors');
      table.text('name').primary();
      table.boolean('enabled').nullable();
      table.bigInteger('tx_id').nullable();
      table.bigInteger('id').nullable();
    });
    // 'capture' holds the switch; 'pruned' the newest position pruned;
    // 'events' the last position published on the events service.
    await knex('entity_history_state').insert([
      { name: 'capture', enabled: true },
      { name: 'pruned', tx_id: 0, id: 0 },
      { name: 'events', tx_id: null, id: null },
    ]);
    for (const [event, sql] of Object.entries(captureSql)) {
      await knex.raw(`
        CREATE FUNCTION entity_history_capture_${event}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF NOT COALESCE((SELECT enabled FROM entity_history_state
                           WHERE name = 'capture'), TRUE) THEN
            RETURN NULL;
          END IF;
          ${sql};
          RETURN NULL;
        END $$`);
      const transition =
        event === 'insert'
          ? 'NEW TABLE AS new_rows'
          : event === 'delete'
            ? 'OLD TABLE AS old_rows'
            : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      await knex.raw(`
        CREATE TRIGGER final_entities_history_${event}
        AFTER ${event.toUpperCase()} ON final_entities
        REFERENCING ${transition}
        FOR EACH STATEMENT EXECUTE FUNCTION entity_history_capture_${event}()`);
    }
  },
  async down(knex) {
    for (const event of Object.keys(captureSql)) {
      await knex.raw(
        `DROP TRIGGER final_entities_history_${event} ON final_entities`,
      );
      await knex.raw(`DROP FUNCTION entity_history_capture_${event}()`);
    }
    await knex.schema.dropTable('entity_history_state');
    await knex.schema.dropTable('entity_history');
    await knex.schema.alterTable('refresh_state', table => {
      table.dropColumn('change_source');
      table.dropColumn('change_actor');
    });
  },
};

const columns = `INSERT INTO entity_history (tx_id, entity_id, entity_ref,
  change_type, entity, previous_entity, source, actor)`;
const txId = 'pg_current_xact_id()::text::bigint';
const setting = (name: string) =>
  `NULLIF(current_setting('${name}', TRUE), '')`;

const captureSql = {
  insert: `${columns}
    SELECT ${txId}, n.entity_id, n.entity_ref, 'created', n.final_entity,
      NULL, r.change_source, r.change_actor
    FROM new_rows AS n LEFT JOIN refresh_state AS r ON r.entity_id = n.entity_id
    ORDER BY n.entity_id`,
  // An update that leaves the served JSON as it was is no change.
  update: `${columns}
    SELECT ${txId}, n.entity_id, n.entity_ref, 'updated', n.final_entity,
      o.final_entity, r.change_source, r.change_actor
    FROM new_rows AS n JOIN old_rows AS o ON o.entity_id = n.entity_id
    LEFT JOIN refresh_state AS r ON r.entity_id = n.entity_id
    WHERE n.final_entity IS DISTINCT FROM o.final_entity
    ORDER BY n.entity_id`,
  delete: `${columns}
    SELECT ${txId}, o.entity_id, o.entity_ref, 'deleted', NULL,
      o.final_entity, ${setting('plinth.change_source')},
      ${setting('plinth.change_actor')}
    FROM old_rows AS o
    ORDER BY o.entity_id`,
};
