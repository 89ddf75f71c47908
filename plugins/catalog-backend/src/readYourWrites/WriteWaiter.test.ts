import { TestDatabases, mockServices } from '@plinth/backend-test-utils';
import type { JsonObject } from '@plinth/errors';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { clearCatalogTables } from '../processing/createTestCatalog.fixture';
import { WriteWaiter } from './WriteWaiter';

const databases = TestDatabases.create();

type RowState = 'due' | 'claimed' | 'unstitched' | 'served' | 'failed';

/** Writes an entity's refresh_state row, and its served row when `served`. */
async function putEntity(knex: Knex, name: string, state: RowState) {
  const ref = `component:default/${name}`;
  await knex('refresh_state')
    .insert({
      entity_id: `id-${name}`,
      entity_ref: ref,
      unprocessed_entity: '{}',
      unprocessed_hash: 'h',
      processed_entity: state === 'failed' || state === 'due' ? null : '{}',
      errors:
        state === 'failed'
          ? JSON.stringify([{ name: 'InputError', message: 'bad yaml' }])
          : '[]',
      next_update_at: knex.raw(
        state === 'due' ? 'now()' : "now() + interval '1 hour'",
      ),
      claim_id: state === 'claimed' ? 'run-1' : null,
      claim_expires_at:
        state === 'claimed' ? knex.raw("now() + interval '1 minute'") : null,
    })
    .onConflict('entity_ref')
    .merge();
  if (state === 'unstitched') {
    await knex('stitch_queue')
      .insert({
        entity_id: `id-${name}`,
        next_stitch_at: knex.fn.now(),
        next_stitch_ticket: 't',
      })
      .onConflict('entity_id')
      .ignore();
  } else {
    await knex('stitch_queue')
      .where({ entity_id: `id-${name}` })
      .delete();
  }
  if (state === 'served') {
    await knex('final_entities')
      .insert({
        entity_id: `id-${name}`,
        entity_ref: ref,
        hash: 'h',
        final_entity: JSON.stringify({ metadata: { name } }),
        last_updated_at: knex.fn.now(),
      })
      .onConflict('entity_id')
      .ignore();
  }
}

async function link(knex: Knex, parent: string, child: string) {
  await knex('refresh_state_references').insert({
    source_entity_ref: `component:default/${parent}`,
    target_entity_ref: `component:default/${child}`,
  });
}

describe('WriteWaiter', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    let invalidations = 0;
    const create = (options: { maxConcurrentWaits?: number } = {}) =>
      new WriteWaiter({
        knex,
        maxWaitMs: 60_000,
        maxConcurrentWaits: options.maxConcurrentWaits ?? 10,
        maxEntities: 3,
        invalidateReads: () => {
          invalidations += 1;
        },
      });
    const tree = { treeRefs: ['component:default/root'] };

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
      invalidations = 0;
    });

    it('settles once the whole tree is processed and stitched, and invalidates cached reads first', async () => {
      await putEntity(knex, 'root', 'served');
      await putEntity(knex, 'child', 'claimed');
      await link(knex, 'root', 'child');
      const waiter = create();

      const waiting = waiter.waitFor(tree, { timeoutMs: 20_000 });
      await putEntity(knex, 'child', 'unstitched');
      waiter.notify();
      await putEntity(knex, 'child', 'served');
      waiter.notify();

      const outcome = await waiting;
      expect(outcome.settled).toBe(true);
      expect(outcome.progress.entities.map(e => e.entityRef)).toEqual([
        'component:default/child',
        'component:default/root',
      ]);
      expect(invalidations).toBe(1);
    });

    it('counts an entity whose processing failed as settled, with its errors', async () => {
      await putEntity(knex, 'root', 'failed');

      const outcome = await create().waitFor(tree, { timeoutMs: 20_000 });

      expect(outcome.settled).toBe(true);
      expect(outcome.progress.entities).toEqual([
        {
          entityRef: 'component:default/root',
          processed: true,
          stitched: true,
          served: false,
          errors: [{ name: 'InputError', message: 'bad yaml' }],
        },
      ]);
    });

    it('ends unsettled when the time is up, with the progress so far', async () => {
      await putEntity(knex, 'root', 'served');
      await putEntity(knex, 'child', 'due');
      await link(knex, 'root', 'child');

      const outcome = await create().waitFor(tree, { timeoutMs: 50 });

      expect(outcome).toMatchObject({ settled: false, reason: 'timeout' });
      expect(outcome.progress.entities).toContainEqual(
        expect.objectContaining({
          entityRef: 'component:default/child',
          processed: false,
        }),
      );
      expect(invalidations).toBe(0);
    });

    it('ends unsettled when its signal or the backend stop aborts it', async () => {
      await putEntity(knex, 'root', 'due');
      const waiter = create();
      const client = new AbortController();

      const byClient = waiter.waitFor(tree, {
        timeoutMs: 60_000,
        signal: client.signal,
      });
      client.abort();
      await expect(byClient).resolves.toMatchObject({ reason: 'aborted' });

      const byStop = waiter.waitFor(tree, { timeoutMs: 60_000 });
      waiter.stop();
      await expect(byStop).resolves.toMatchObject({ reason: 'aborted' });
    });

    it('stops at once when the tree holds more entities than it may follow', async () => {
      await putEntity(knex, 'root', 'served');
      for (const child of ['a', 'b', 'c']) {
        await putEntity(knex, child, 'served');
        await link(knex, 'root', child);
      }

      const outcome = await create().waitFor(tree, { timeoutMs: 60_000 });

      expect(outcome).toMatchObject({ settled: false, reason: 'timeout' });
      expect(outcome.progress.truncated).toBe(true);
      expect(outcome.progress.entities).toHaveLength(3);
    });

    it('ends the walk of a reference cycle, and lists refs that no longer exist as gone', async () => {
      await putEntity(knex, 'root', 'served');
      await putEntity(knex, 'child', 'served');
      await link(knex, 'root', 'child');
      await link(knex, 'child', 'root');

      const progress = await create().readProgress({
        treeRefs: ['component:default/root'],
        refs: ['component:default/deleted'],
      });

      expect(progress.entities.map(e => e.entityRef)).toEqual([
        'component:default/child',
        'component:default/root',
      ]);
      expect(progress.gone).toEqual(['component:default/deleted']);
    });

    it('refuses a slot past maxConcurrentWaits until one is released', () => {
      const waiter = create({ maxConcurrentWaits: 1 });
      const release = waiter.reserve();

      expect(() => waiter.reserve()).toThrow(
        "This catalog replica already has 1 requests waiting for their writes, the most that 'catalog.readYourWrites.maxConcurrentWaits' allows; nothing was written. Retry in a moment, or send the request without 'wait' and poll its status route.",
      );
      release();
      release();
      expect(() => waiter.reserve()()).not.toThrow();
    });
  });

  it('refuses new waits once the backend is shutting down, so they write nothing', () => {
    const waiter = new WriteWaiter({
      knex: {} as Knex,
      maxWaitMs: 1000,
      maxConcurrentWaits: 10,
      maxEntities: 10,
      invalidateReads: () => undefined,
    });
    waiter.stop();
    expect(() => waiter.reserve()).toThrow(
      "This catalog replica is shutting down and takes no new 'wait'; nothing was written. Retry in a moment (another replica answers), or send the request without 'wait'.",
    );
  });

  it('reads its limits from catalog.readYourWrites, refusing invalid values', () => {
    const config = (readYourWrites: JsonObject) =>
      mockServices.rootConfig({ data: { catalog: { readYourWrites } } });
    const knex = {} as Knex;
    const waiter = WriteWaiter.fromConfig(config({ maxWait: { minutes: 2 } }), {
      knex,
      invalidateReads: () => {},
    });
    expect(waiter.maxWaitMs).toBe(120_000);
    expect(waiter.maxEntities).toBe(1000);
    expect(() =>
      WriteWaiter.fromConfig(config({ maxConcurrentWaits: 0 }), {
        knex,
        invalidateReads: () => {},
      }),
    ).toThrow(
      "Invalid config at 'catalog.readYourWrites.maxConcurrentWaits': expected an integer of at least 1, got 0.",
    );
  });
});
