import { TestDatabases } from '@plinth/backend-test-utils';
import type { EventParams, EventsService } from '@plinth/plugin-events-node';
import type { Knex } from 'knex';
import {
  DatabaseEventsService,
  EventsStore,
} from '@plinth/backend-defaults/events';
import { MockLoggerService } from '@plinth/backend-test-utils';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import type { EntityChange } from './historyRows';
import {
  CATALOG_ENTITY_CHANGE_TOPIC,
  publishChanges,
  releasePublisherLease,
} from './publishChanges';
import { pruneHistory } from './pruneHistory';

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
    const logger = MockLoggerService.create();
    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });
    // Each test starts with no replica holding the publisher's lease.
    beforeEach(async () => {
      await knex('entity_history_state')
        .where({ name: 'events' })
        .update({ lease_holder: null, lease_until: null });
    });

    it('starts at the changes made after its first round, not the whole history', async () => {
      await insertEntity(knex, 'before');
      const published: EventParams[] = [];
      await expect(
        publishChanges(knex, recordingEvents(published), {
          holder: 'replica-1',
          logger,
        }),
      ).resolves.toBe(0);
      await insertEntity(knex, 'after');
      await expect(
        publishChanges(knex, recordingEvents(published), {
          holder: 'replica-1',
          logger,
        }),
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
      const replicas = ['replica-1', 'replica-2', 'replica-3'];
      const rounds = await Promise.all(
        replicas.map(holder =>
          publishChanges(knex, events, { holder, logger }),
        ),
      );
      expect(rounds.reduce((a, b) => a + b, 0)).toBe(3);
      for (const holder of replicas) {
        await expect(
          publishChanges(knex, events, { holder, logger }),
        ).resolves.toBe(0);
      }
      expect(
        published.map(e => (e.eventPayload as EntityChange).entityUid),
      ).toEqual(['r1', 'r2', 'r3']);
    });

    it('keeps its place when publishing fails, so the next round publishes the batch again', async () => {
      await insertEntity(knex, 'f1');
      await insertEntity(knex, 'f2');
      const published: EventParams[] = [];
      const events = recordingEvents(published, 'f2');
      await expect(
        publishChanges(knex, events, { holder: 'replica-1', logger }),
      ).rejects.toThrow('the events backend is down');
      await expect(
        publishChanges(knex, events, { holder: 'replica-1', logger }),
      ).resolves.toBe(2);
      expect(
        published.map(e => (e.eventPayload as EntityChange).entityUid),
      ).toEqual(['f1', 'f1', 'f2']);
    });

    it('lets another replica take over once the lease of one that stopped has expired', async () => {
      await insertEntity(knex, 'lease');
      await knex('entity_history_state')
        .where({ name: 'events' })
        .update({
          lease_holder: 'gone',
          lease_until: knex.raw("now() - interval '1 second'"),
        });
      const published: EventParams[] = [];
      await expect(
        publishChanges(knex, recordingEvents(published), {
          holder: 'replica-2',
          logger,
        }),
      ).resolves.toBe(1);
      await expect(
        publishChanges(knex, recordingEvents(published), {
          holder: 'replica-1',
          logger,
        }),
      ).resolves.toBe(0);
    });

    it('lets another replica publish at once when the holder released its lease', async () => {
      const published: EventParams[] = [];
      const events = recordingEvents(published);
      await publishChanges(knex, events, { holder: 'replica-1', logger });
      await insertEntity(knex, 'handed-on');
      await expect(
        publishChanges(knex, events, { holder: 'replica-2', logger }),
      ).resolves.toBe(0);
      await releasePublisherLease(knex, 'replica-1');
      await expect(
        publishChanges(knex, events, { holder: 'replica-2', logger }),
      ).resolves.toBe(1);
    });

    it('leaves the changes it has not published to pruning', async () => {
      const published: EventParams[] = [];
      const events = recordingEvents(published);
      await publishChanges(knex, events, { holder: 'replica-1', logger });
      await insertEntity(knex, 'kept');
      await expect(
        pruneHistory(knex, { maxAgeMs: 86_400_000, maxEntries: 0 }),
      ).resolves.toBeGreaterThanOrEqual(0);
      await expect(
        publishChanges(knex, events, { holder: 'replica-1', logger }),
      ).resolves.toBe(1);
      expect((published[0].eventPayload as EntityChange).entityUid).toBe(
        'kept',
      );
    });

    it('logs an error and goes on from the oldest change left when its cursor fell behind retention', async () => {
      const events = recordingEvents([]);
      await publishChanges(knex, events, { holder: 'replica-1', logger });
      await insertEntity(knex, 'lost');
      await insertEntity(knex, 'left');
      const [lost] = await knex('entity_history')
        .where({ entity_id: 'lost' })
        .select('tx_id', 'id');
      // As if the history had been pruned before pruning respected the cursor.
      await knex('entity_history').where({ entity_id: 'lost' }).delete();
      await knex('entity_history_state')
        .where({ name: 'pruned' })
        .update({ tx_id: lost.tx_id, id: lost.id });
      const errorLogger = MockLoggerService.create();
      await expect(
        publishChanges(knex, events, {
          holder: 'replica-1',
          logger: errorLogger,
        }),
      ).resolves.toBe(1);
      expect(errorLogger.lines).toEqual([
        expect.objectContaining({
          level: 'error',
          message: expect.stringContaining(
            'were removed from the history before they were published',
          ),
        }),
      ]);
    });

    it('publishes on the database events service that shares its connection', async () => {
      // On PGlite both borrow the one connection: a transaction held
      // across publish would wait for itself until the acquire timeout.
      const eventsKnex = await databases.init(id);
      const service = DatabaseEventsService.create(
        () => EventsStore.open(eventsKnex),
        { logger: MockLoggerService.create() },
      );
      const events = service.forPlugin('catalog');
      // A reader of the topic: without one, no event of it is stored.
      await events.subscribe({
        id: 'feed',
        topics: [CATALOG_ENTITY_CHANGE_TOPIC],
        onEvent: async () => {},
      });
      await publishChanges(knex, events, { holder: 'replica-2', logger });
      await insertEntity(knex, 'shared');
      await expect(
        publishChanges(knex, events, { holder: 'replica-2', logger }),
      ).resolves.toBe(1);
      await service.stop();
      const stored = await eventsKnex.raw<{ rows: unknown[] }>(
        'SELECT * FROM ?? WHERE topic = ?',
        ['plinth_events__events', CATALOG_ENTITY_CHANGE_TOPIC],
      );
      expect(stored.rows).toHaveLength(1);
    }, 20_000);
  });
});
