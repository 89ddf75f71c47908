import type { Knex } from 'knex';

/** Makes `refresh_keys` hold exactly the keys each entity's processing emitted. */
export async function replaceRefreshKeys(
  tx: Knex.Transaction,
  entities: ReadonlyArray<{ entityId: string; keys: readonly string[] }>,
): Promise<void> {
  if (entities.length === 0) {
    return;
  }
  await tx.raw(
    `DELETE FROM refresh_keys
     WHERE entity_id = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json))))`,
    [JSON.stringify(entities.map(e => e.entityId))],
  );
  const rows = entities.flatMap(e =>
    [...new Set(e.keys)].map(key => ({ entity_id: e.entityId, key })),
  );
  if (rows.length > 0) {
    await tx.raw(
      `INSERT INTO refresh_keys (entity_id, key)
       SELECT * FROM json_to_recordset(CAST(? AS json)) AS x(entity_id text, key text)`,
      [JSON.stringify(rows)],
    );
  }
}
