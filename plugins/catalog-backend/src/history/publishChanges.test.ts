import { TestDatabases } from '@plinth/backend-test-utils';
import type { EventParams, EventsService } from '@plinth/plugin-events-node';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import type { EntityChange } from './historyRows';
import { CATALOG_ENTITY_CHANGE_TOPIC, publishChanges } from './publishChanges';

const databases = TestDatabases.create();

async function insertEntity(knex: Knex, id: string) {
  await knex('refresh_state').insert({
    entity_id: id,
    entity_ref: `component:default/${id}`,
    unprocessed_entity: '{}',
    unprocessed_hash: 'h',
    next_update_at: knex.fn.now(),
    last_discovery_at: knex.fn.now(),
  });
  await knex('final_entities').insert({
    entity_id: id,
    entity_ref: `component:default/${id}`,
    hash: 'h',
    final_entity: JSON.stringify({ kind: 'Component', metadata: { name: id } }),
    last_updated_at: knex.fn.now(),
  });
}

/** Records what is published; `failOn` makes publishing that uid throw once. */
function recordingEvents(published: EventParams[], failOn?: string) {
  let failed = false;
  return {
    async publish(event: EventParams) {
      const change = event.eventPayload as EntityChange;
      if (change.entityUid === failOn && !failed) {
        failed = true;
        throw new Error('the events backend is down');
      }
      published.push(event);
    },
    async subscribe() {},
  } as EventsService;
}

describe('publishChanges', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    it('starts at the changes made after its first round, not the whole history', async () => {
      await insertEntity(knex, 'before');
      const published: EventParams[] = [];
      await expect(
        publishChanges(knex, recordingEvents(published)),
      ).resolves.toBe(0);
      await insertEntity(knex, 'after');
      await expect(
        publishChanges(knex, recordingEvents(published)),
      ).resolves.toBe(1);
      expect(published).toEqual([
        {
          topic: CATALOG_ENTITY_CHANGE_TOPIC,
          eventPayload: expect.objectContaining({
            type: 'created',
            entityUid: 'after',
            entityRef: 'component:default/after',
          }),
        },
      ]);
    });

    it('publishes each change once when replicas publish at the same time', async () => {
      for (const name of ['r1', 'r2', 'r3']) {
        await insertEntity(knex, name);
      }
      const published: EventParams[] = [];
      const events = recordingEvents(published);
      const rounds = await Promise.all([
        publishChanges(knex, events),
        publishChanges(knex, events),
        publishChanges(knex, events),
      ]);
      expect(rounds.reduce((a, b) => a + b, 0)).toBe(3);
      await expect(publishChanges(knex, events)).resolves.toBe(0);
      expect(
        published.map(e => (e.eventPayload as EntityChange).entityUid),
      ).toEqual(['r1', 'r2', 'r3']);
    });

    it('keeps its place when publishing fails, so the next round publishes the batch again', async () => {
      await insertEntity(knex, 'f1');
      await insertEntity(knex, 'f2');
      const published: EventParams[] = [];
      const events = recordingEvents(published, 'f2');
      await expect(publishChanges(knex, events)).rejects.toThrow(
        'the events backend is down',
      );
      await expect(publishChanges(knex, events)).resolves.toBe(2);
      expect(
        published.map(e => (e.eventPayload as EntityChange).entityUid),
      ).toEqual(['f1', 'f1', 'f2']);
    });
  });
});
