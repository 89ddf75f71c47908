import { TestDatabases } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import type { CatalogProcessor } from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import {
  clearCatalogTables,
  createTestCatalog,
  groupEntity,
} from './createTestCatalog.fixture';
import { DefaultRefreshService } from './RefreshService';

const databases = TestDatabases.create();

/** A processor that sets the description of every entity to `label`. */
function createLabeller(label: string): CatalogProcessor {
  return {
    getProcessorName: () => 'Labeller',
    async postProcessEntity(entity) {
      return {
        ...entity,
        metadata: { ...entity.metadata, description: label },
      };
    },
  };
}

/** A processor that stops the first run of group 'x' until released. */
function createGate() {
  let release: () => void = () => {};
  const gate = new Promise<void>(resolve => (release = resolve));
  let started: () => void = () => {};
  const running = new Promise<void>(resolve => (started = resolve));
  let stopped = false;
  const processor: CatalogProcessor = {
    getProcessorName: () => 'Gate',
    async postProcessEntity(entity) {
      if (!stopped && entity.metadata.name === 'x') {
        stopped = true;
        started();
        await gate;
      }
      return entity;
    },
  };
  return { processor, running, release };
}

describe('DefaultCatalogProcessingEngine', () => {
  describe.each(databases.eachSupportedId())('claims on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
    });

    const processedDescription = async () => {
      const [row] = await knex('refresh_state')
        .where({ entity_ref: 'group:default/x' })
        .pluck<Array<string | null>>('processed_entity');
      return row === null
        ? null
        : (JSON.parse(row) as Entity).metadata.description;
    };

    it('lets no other engine claim an entity refreshed during its run, and processes it again once the run wrote', async () => {
      const gate = createGate();
      const first = createTestCatalog(knex, {
        extraProcessors: [createLabeller('first'), gate.processor],
      });
      const seenBySecond: unknown[] = [];
      const second = createTestCatalog(knex, {
        extraProcessors: [
          {
            getProcessorName: () => 'Witness',
            async preProcessEntity(entity) {
              seenBySecond.push(await processedDescription());
              return entity;
            },
          },
        ],
      });
      await first.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }],
      });

      const running = first.engine.processOnce();
      await gate.running;
      await new DefaultRefreshService({ knex }).refresh({
        entityRef: 'group:default/x',
      });
      await expect(second.engine.processOnce()).resolves.toBe(0);

      gate.release();
      await expect(running).resolves.toBe(1);
      await expect(second.engine.processOnce()).resolves.toBe(1);

      expect(seenBySecond).toEqual(['first']);
    });

    it('processes again after the run an entity whose refresh key a provider refreshed during the run', async () => {
      const gate = createGate();
      const catalog = createTestCatalog(knex, {
        extraProcessors: [gate.processor],
      });
      const connection = catalog.connect('test');
      await connection.applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }],
      });
      const [entityId] = await knex('refresh_state').pluck('entity_id');
      await knex('refresh_keys').insert({ entity_id: entityId, key: 'key-x' });

      const running = catalog.engine.processOnce();
      await gate.running;
      await connection.refresh({ keys: ['key-x'] });
      await expect(catalog.engine.processOnce()).resolves.toBe(0);
      gate.release();
      await running;
      catalog.processCalls.clear();

      await expect(catalog.engine.processOnce()).resolves.toBe(1);
      expect([...catalog.processCalls.keys()]).toEqual(['group:default/x']);
    });

    it('writes nothing for a run whose claim lapsed and that another engine took over', async () => {
      const gate = createGate();
      const first = createTestCatalog(knex, {
        extraProcessors: [createLabeller('first'), gate.processor],
      });
      const second = createTestCatalog(knex, {
        extraProcessors: [createLabeller('second')],
      });
      await first.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }],
      });

      const running = first.engine.processOnce();
      await gate.running;
      // As when the first replica could not renew its claim for a lease.
      await knex('refresh_state').update({
        claim_expires_at: knex.raw("now() - interval '1 second'"),
        next_update_at: knex.raw("now() - interval '1 second'"),
      });
      await expect(second.engine.processOnce()).resolves.toBe(1);
      gate.release();
      await running;

      await expect(processedDescription()).resolves.toBe('second');
      expect(first.logger.messages('warn')).toEqual([
        "Dropped the processing results of 1 entity that other runs claimed after this run's claims lapsed: 'group:default/x'. A run holds its entities 60 s past its last renewal; this replica could not renew them in time, as when its event loop is blocked or the database unreachable. The runs that hold them now write their results.",
      ]);
    });

    it('renews the claims of a batch while it runs, and ends them when it wrote', async () => {
      const gate = createGate();
      const catalog = createTestCatalog(knex, {
        extraProcessors: [gate.processor],
        leaseMs: 300,
      });
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }, { entity: groupEntity('y') }],
      });
      const claims = () =>
        knex('refresh_state')
          .orderBy('entity_ref')
          .select<Array<{ claim_id: string | null; expires: string | null }>>(
            'claim_id',
            knex.raw('claim_expires_at::text AS expires'),
          );

      const running = catalog.engine.processOnce();
      await gate.running;
      const claimed = await claims();
      let renewed = claimed;
      for (
        let i = 0;
        i < 200 && renewed[0].expires === claimed[0].expires;
        i += 1
      ) {
        await new Promise(resolve => setTimeout(resolve, 10));
        renewed = await claims();
      }
      gate.release();
      await running;

      expect(claimed[0].claim_id).toEqual(expect.any(String));
      expect(renewed[0].expires).not.toBe(claimed[0].expires);
      await expect(claims()).resolves.toEqual([
        { claim_id: null, expires: null },
        { claim_id: null, expires: null },
      ]);
      await expect(
        knex('refresh_state')
          .where('next_update_at', '<=', knex.fn.now())
          .pluck('entity_ref'),
      ).resolves.toEqual([]);
    });

    it('moves the next run of a written entity ahead by the processing interval plus up to half of it', async () => {
      const catalog = createTestCatalog(knex);
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }],
      });

      await expect(catalog.engine.processOnce()).resolves.toBe(1);

      const [{ seconds }] = await knex('refresh_state').select<
        Array<{ seconds: number }>
      >(
        knex.raw(
          'EXTRACT(EPOCH FROM next_update_at - now())::float8 AS seconds',
        ),
      );
      // The default interval of 100 s, not the 60 s lease of the claim.
      expect(seconds).toBeGreaterThan(99);
      expect(seconds).toBeLessThanOrEqual(150);
    });
  });
});
