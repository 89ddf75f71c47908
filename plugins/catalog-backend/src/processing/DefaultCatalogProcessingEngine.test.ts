import { MockUrlReader, TestDatabases } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { UrlReaderProcessor } from '../processors/UrlReaderProcessor';
import {
  clearCatalogTables,
  componentYaml,
  createTestCatalog,
  groupEntity,
  locationEntity,
} from './createTestCatalog.fixture';

const databases = TestDatabases.create();

describe('DefaultCatalogProcessingEngine', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
    });

    it('serves the entities of a provider and of the files it points at, with relations on both sides', async () => {
      const catalog = createTestCatalog(knex);
      catalog.files.set(
        '/catalog.yaml',
        [componentYaml('a'), componentYaml('b')].join('---\n'),
      );
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [
          {
            entity: locationEntity('root', '/catalog.yaml'),
            locationKey: 'mem:/config',
          },
          { entity: groupEntity('team-a') },
        ],
      });

      await catalog.runUntilIdle();

      await expect(catalog.servedRefs()).resolves.toEqual([
        'component:default/a',
        'component:default/b',
        'group:default/team-a',
        'location:default/root',
      ]);
      const a = await catalog.entity('component:default/a');
      expect(a?.relations).toEqual([
        { type: 'ownedBy', targetRef: 'group:default/team-a' },
      ]);
      expect(a?.metadata.annotations).toEqual({
        'backstage.io/managed-by-location': 'mem:/catalog.yaml',
        'backstage.io/managed-by-origin-location': 'mem:/config/root',
      });
      expect(a?.metadata.uid).toEqual(expect.any(String));
      const team = await catalog.entity('group:default/team-a');
      expect(team?.relations).toEqual([
        { type: 'ownerOf', targetRef: 'component:default/a' },
        { type: 'ownerOf', targetRef: 'component:default/b' },
      ]);
    });

    it('follows an entity a provider changes and drops one it removes', async () => {
      const catalog = createTestCatalog(knex);
      const connection = catalog.connect('test');
      await connection.applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }, { entity: groupEntity('y') }],
      });
      await catalog.runUntilIdle();

      const changed = groupEntity('x');
      changed.metadata.description = 'changed';
      await connection.applyMutation({
        type: 'delta',
        added: [{ entity: changed }],
        removed: [{ entityRef: 'group:default/y' }],
      });
      await catalog.runUntilIdle();

      await expect(catalog.servedRefs()).resolves.toEqual(['group:default/x']);
      await expect(catalog.entity('group:default/x')).resolves.toMatchObject({
        metadata: { description: 'changed' },
      });
    });

    it('follows changes to a file: added, changed and removed entities', async () => {
      const catalog = createTestCatalog(knex);
      catalog.files.set(
        '/catalog.yaml',
        [componentYaml('a'), componentYaml('b')].join('---\n'),
      );
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [
          { entity: locationEntity('root', '/catalog.yaml') },
          { entity: groupEntity('team-a') },
          { entity: groupEntity('team-b') },
        ],
      });
      await catalog.runUntilIdle();

      catalog.files.set(
        '/catalog.yaml',
        [componentYaml('a', 'team-b'), componentYaml('c')].join('---\n'),
      );
      await knex('refresh_state')
        .where({ entity_ref: 'location:default/root' })
        .update({ next_update_at: knex.fn.now() });
      await catalog.runUntilIdle();
      // The changed child was written due; one more round processes it.
      await catalog.runUntilIdle();

      await expect(catalog.servedRefs()).resolves.toEqual([
        'component:default/a',
        'component:default/c',
        'group:default/team-a',
        'group:default/team-b',
        'location:default/root',
      ]);
      await expect(
        catalog.entity('component:default/a'),
      ).resolves.toMatchObject({
        relations: [{ type: 'ownedBy', targetRef: 'group:default/team-b' }],
      });
      await expect(
        catalog.entity('group:default/team-a'),
      ).resolves.toMatchObject({
        relations: [{ type: 'ownerOf', targetRef: 'component:default/c' }],
      });
      await expect(
        catalog.entity('group:default/team-b'),
      ).resolves.toMatchObject({
        relations: [{ type: 'ownerOf', targetRef: 'component:default/a' }],
      });
      await expect(
        knex('relations').pluck('source_entity_ref'),
      ).resolves.not.toContain('component:default/b');
    });

    it('keeps orphans with the orphan annotation when the strategy is keep, until they are emitted again', async () => {
      const catalog = createTestCatalog(knex, { orphanStrategy: 'keep' });
      catalog.files.set(
        '/catalog.yaml',
        [componentYaml('a'), componentYaml('b')].join('---\n'),
      );
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: locationEntity('root', '/catalog.yaml') }],
      });
      await catalog.runUntilIdle();

      catalog.files.set('/catalog.yaml', componentYaml('a'));
      await knex('refresh_state').update({ next_update_at: knex.fn.now() });
      await catalog.runUntilIdle();

      const b = await catalog.entity('component:default/b');
      expect(b?.metadata.annotations?.['backstage.io/orphan']).toBe('true');
      const a = await catalog.entity('component:default/a');
      expect(a?.metadata.annotations?.['backstage.io/orphan']).toBeUndefined();

      catalog.files.set(
        '/catalog.yaml',
        [componentYaml('a'), componentYaml('b')].join('---\n'),
      );
      await knex('refresh_state').update({ next_update_at: knex.fn.now() });
      await catalog.runUntilIdle();

      const adopted = await catalog.entity('component:default/b');
      expect(
        adopted?.metadata.annotations?.['backstage.io/orphan'],
      ).toBeUndefined();
    });

    it('writes nothing when processing gives the same result again', async () => {
      const catalog = createTestCatalog(knex);
      catalog.files.set(
        '/catalog.yaml',
        [componentYaml('a'), componentYaml('b')].join('---\n'),
      );
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [
          { entity: locationEntity('root', '/catalog.yaml') },
          { entity: groupEntity('team-a') },
        ],
      });
      await catalog.runUntilIdle();
      const snapshot = () =>
        Promise.all(
          [
            'final_entities',
            'search',
            'relations',
            'refresh_state_references',
            'refresh_keys',
            'stitch_queue',
          ].map(
            // A row's xmin and ctid change whenever the row is written.
            async table => {
              const result = await knex.raw<{ rows: Array<{ v: string }> }>(
                `SELECT CONCAT(xmin::text, '@', ctid::text) AS v FROM ${table}`,
              );
              return result.rows.map(row => row.v).sort();
            },
          ),
        );
      const columns = () =>
        knex('refresh_state')
          .orderBy('entity_ref')
          .select('processed_entity', 'result_hash', 'errors', 'cache');
      const before = await snapshot();
      const stateBefore = await columns();
      catalog.processCalls.clear();

      await knex('refresh_state').update({ next_update_at: knex.fn.now() });
      await expect(catalog.engine.processOnce()).resolves.toBe(4);

      expect(catalog.processCalls.size).toBe(4);
      await expect(catalog.stitcher.stitchOnce()).resolves.toBe(0);
      await expect(snapshot()).resolves.toEqual(before);
      await expect(columns()).resolves.toEqual(stateBefore);
    });

    it('keeps the last good entity and shows the processing errors in its status', async () => {
      const catalog = createTestCatalog(knex);
      catalog.files.set('/catalog.yaml', componentYaml('a'));
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: locationEntity('root', '/catalog.yaml') }],
      });
      await catalog.runUntilIdle();
      const good = await catalog.entity('location:default/root');

      catalog.files.delete('/catalog.yaml');
      await knex('refresh_state').update({ next_update_at: knex.fn.now() });
      await catalog.runUntilIdle();

      const root = await catalog.entity('location:default/root');
      expect(root?.spec).toEqual(good?.spec);
      expect(root?.status?.items).toEqual([
        {
          type: 'backstage.io/catalog-processing',
          level: 'error',
          message: "NotFoundError: No file '/catalog.yaml'",
          error: { name: 'NotFoundError', message: "No file '/catalog.yaml'" },
        },
      ]);
      expect(root?.metadata.etag).not.toBe(good?.metadata.etag);
      // The children of a location that cannot be read are kept.
      await expect(
        catalog.entity('component:default/a'),
      ).resolves.toBeDefined();
    });

    it('keeps the last good output of a location whose glob search fails, and deletes none of its children', async () => {
      const glob = 'https://git.example.com/org/*/catalog-info.yaml';
      const reader = new MockUrlReader({
        'https://git.example.com/org/a/catalog-info.yaml': componentYaml('a'),
        'https://git.example.com/org/b/catalog-info.yaml': componentYaml('b'),
      });
      const catalog = createTestCatalog(knex, {
        extraProcessors: [new UrlReaderProcessor({ reader })],
      });
      const root: Entity = {
        ...locationEntity('root', glob),
        spec: { type: 'url', target: glob },
      };
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: root }],
      });
      await catalog.runUntilIdle();
      const before = await catalog.servedRefs();

      jest
        .spyOn(reader, 'search')
        .mockRejectedValue(
          Object.assign(
            new Error("EACCES: permission denied, scandir '/srv/git/org'"),
            { code: 'EACCES' },
          ),
        );
      await knex('refresh_state').update({ next_update_at: knex.fn.now() });
      await catalog.runUntilIdle();

      expect(before).toEqual([
        'component:default/a',
        'component:default/b',
        'location:default/root',
      ]);
      await expect(catalog.servedRefs()).resolves.toEqual(before);
      await expect(
        knex('refresh_state_references')
          .where({ source_entity_ref: 'location:default/root' })
          .orderBy('target_entity_ref')
          .pluck('target_entity_ref'),
      ).resolves.toEqual(['component:default/a', 'component:default/b']);
      await expect(
        catalog.entity('location:default/root'),
      ).resolves.toMatchObject({
        spec: { type: 'url', target: glob },
        status: {
          items: [
            {
              message:
                "Error: EACCES: permission denied, scandir '/srv/git/org'",
            },
          ],
        },
      });
      expect(catalog.logger.messages('info')).toEqual([]);
    });

    it('logs the orphans a run deletes, with the parent that stopped emitting them', async () => {
      const catalog = createTestCatalog(knex);
      catalog.files.set(
        '/catalog.yaml',
        [componentYaml('a'), componentYaml('b'), componentYaml('c')].join(
          '---\n',
        ),
      );
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: locationEntity('root', '/catalog.yaml') }],
      });
      await catalog.runUntilIdle();

      catalog.files.set('/catalog.yaml', componentYaml('a'));
      await knex('refresh_state').update({ next_update_at: knex.fn.now() });
      await catalog.runUntilIdle();

      expect(catalog.logger.messages('info')).toEqual([
        "Deleted 2 entities that nothing references any more, since entity 'location:default/root' stopped emitting them or their ancestors: 'component:default/b', 'component:default/c'.",
      ]);
    });

    it('calls the processing error handler when the errors of an entity change', async () => {
      const onProcessingError = jest.fn();
      const catalog = createTestCatalog(knex, { onProcessingError });
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: locationEntity('root', '/missing.yaml') }],
      });

      await catalog.runUntilIdle();
      await knex('refresh_state').update({ next_update_at: knex.fn.now() });
      await catalog.runUntilIdle();
      await new Promise(resolve => setImmediate(resolve));

      expect(onProcessingError).toHaveBeenCalledTimes(1);
      expect(onProcessingError).toHaveBeenCalledWith({
        unprocessedEntity: expect.objectContaining({ kind: 'Location' }),
        errors: [
          expect.objectContaining({ message: "No file '/missing.yaml'" }),
        ],
      });
      expect(catalog.logger.messages('warn')).toEqual([
        "Processing of entity 'location:default/root' reported an error: NotFoundError: No file '/missing.yaml'",
      ]);
    });

    it('logs a failing error handler without losing the errors', async () => {
      const catalog = createTestCatalog(knex, {
        onProcessingError: () => Promise.reject(new Error('alerting is down')),
      });
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: locationEntity('root', '/missing.yaml') }],
      });

      await catalog.runUntilIdle();
      await new Promise(resolve => setImmediate(resolve));

      expect(catalog.logger.messages('warn')).toContain(
        "The processing error handler failed for entity 'location:default/root'; the errors are stored regardless.",
      );
      await expect(
        catalog.entity('location:default/root'),
      ).resolves.toBeUndefined();
      const [row] = await knex('refresh_state').pluck('errors');
      expect(JSON.parse(row)).toEqual([
        { name: 'NotFoundError', message: "No file '/missing.yaml'" },
      ]);
    });

    it('refuses a child whose ref another location owns, reports it on the parent, and takes the ref over once it is free', async () => {
      const catalog = createTestCatalog(knex);
      catalog.files.set('/one.yaml', componentYaml('a', 'team-a'));
      catalog.files.set('/two.yaml', componentYaml('a', 'team-b'));
      const connection = catalog.connect('test');
      await connection.applyMutation({
        type: 'full',
        entities: [{ entity: locationEntity('one', '/one.yaml') }],
      });
      await catalog.runUntilIdle();
      await connection.applyMutation({
        type: 'delta',
        added: [{ entity: locationEntity('two', '/two.yaml') }],
        removed: [],
      });
      await catalog.runUntilIdle();

      const conflict =
        "Entity 'component:default/a' from location 'mem:/two.yaml' conflicts with the same entity already provided by location 'mem:/one.yaml'; remove one of them, or delete the entity so the other can claim it.";
      await expect(
        catalog.entity('component:default/a'),
      ).resolves.toMatchObject({
        spec: { owner: 'team-a' },
      });
      await expect(
        catalog.entity('location:default/two'),
      ).resolves.toMatchObject({
        status: {
          items: [{ level: 'error', message: `ConflictError: ${conflict}` }],
        },
      });
      expect(catalog.logger.messages('warn')).toContain(conflict);

      await connection.applyMutation({
        type: 'delta',
        added: [],
        removed: [{ entityRef: 'location:default/one' }],
      });
      await knex('refresh_state').update({ next_update_at: knex.fn.now() });
      await catalog.runUntilIdle();
      await catalog.runUntilIdle();

      await expect(
        catalog.entity('component:default/a'),
      ).resolves.toMatchObject({
        spec: { owner: 'team-b' },
      });
      await expect(
        catalog.entity('location:default/two'),
      ).resolves.not.toHaveProperty('status');
    });

    it('drops a result whose entity its source changed meanwhile, and processes the new version', async () => {
      let changeOnce: (() => Promise<void>) | undefined;
      const catalog = createTestCatalog(knex, {
        extraProcessors: [
          {
            getProcessorName: () => 'Interleaver',
            async postProcessEntity(entity) {
              const change = changeOnce;
              changeOnce = undefined;
              await change?.();
              return entity;
            },
          },
        ],
      });
      const connection = catalog.connect('test');
      await connection.applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }],
      });
      changeOnce = async () => {
        const changed = groupEntity('x');
        changed.metadata.description = 'v2';
        await connection.applyMutation({
          type: 'delta',
          added: [{ entity: changed }],
          removed: [],
        });
      };

      await expect(catalog.engine.processOnce()).resolves.toBe(1);
      await expect(
        knex('refresh_state').pluck('processed_entity'),
      ).resolves.toEqual([null]);
      await catalog.runUntilIdle();

      await expect(catalog.entity('group:default/x')).resolves.toMatchObject({
        metadata: { description: 'v2' },
      });
    });

    it('stores a failure of the engine itself for the one entity, and writes the rest of its batch', async () => {
      const catalog = createTestCatalog(knex, {
        extraProcessors: [
          {
            getProcessorName: () => 'BigNumbers',
            async postProcessEntity(entity) {
              return entity.metadata.name === 'bad'
                ? {
                    ...entity,
                    spec: { ...entity.spec, size: BigInt(1) as never },
                  }
                : entity;
            },
          },
        ],
      });
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [
          { entity: groupEntity('bad') },
          { entity: groupEntity('good') },
        ],
      });

      await catalog.runUntilIdle();

      await expect(catalog.servedRefs()).resolves.toEqual([
        'group:default/good',
      ]);
      const [errors] = await knex('refresh_state')
        .where({ entity_ref: 'group:default/bad' })
        .pluck('errors');
      expect(JSON.parse(errors)).toEqual([
        { name: 'TypeError', message: 'Do not know how to serialize a BigInt' },
      ]);
    });

    it('keeps processor caches between runs and writes only the cache when nothing else changed', async () => {
      const seen: unknown[] = [];
      const catalog = createTestCatalog(knex, {
        extraProcessors: [
          {
            getProcessorName: () => 'Etag',
            async postProcessEntity(entity, _location, _emit, cache) {
              const runs = (await cache.get<number>('runs')) ?? 0;
              seen.push(runs);
              await cache.set('runs', runs + 1);
              return entity;
            },
          },
        ],
      });
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }],
      });
      await catalog.runUntilIdle();
      const [resultHash] = await knex('refresh_state').pluck('result_hash');

      await knex('refresh_state').update({ next_update_at: knex.fn.now() });
      await catalog.runUntilIdle();

      expect(seen).toEqual([0, 1]);
      const [row] = await knex('refresh_state').select('cache', 'result_hash');
      expect(row.result_hash).toBe(resultHash);
      expect(JSON.parse(row.cache)).toEqual({
        ttl: 5,
        cache: { Etag: { runs: 2 } },
      });
    });

    it('stores refresh keys and re-processes the entities whose keys a provider refreshes', async () => {
      const catalog = createTestCatalog(knex, {
        extraProcessors: [
          {
            getProcessorName: () => 'Keys',
            async postProcessEntity(entity, _location, emit) {
              emit({ type: 'refresh', key: `key-${entity.metadata.name}` });
              return entity;
            },
          },
        ],
      });
      const connection = catalog.connect('test');
      await connection.applyMutation({
        type: 'full',
        entities: [{ entity: groupEntity('x') }, { entity: groupEntity('y') }],
      });
      await catalog.runUntilIdle();
      catalog.processCalls.clear();

      await connection.refresh({ keys: ['key-y'] });
      await catalog.runUntilIdle();

      expect([...catalog.processCalls.keys()]).toEqual(['group:default/y']);
    });

    it('claims the children a batch wrote without waiting for the poll interval, and reports each write that marked entities', async () => {
      let marked = 0;
      const catalog = createTestCatalog(knex, {
        pollIntervalMs: 60_000,
        onStitchingMarked: () => {
          marked += 1;
        },
      });
      catalog.files.set('/catalog.yaml', componentYaml('a'));
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [
          {
            entity: locationEntity('root', '/catalog.yaml'),
            locationKey: 'mem:/config',
          },
        ],
      });

      catalog.engine.start();
      const processed = async () =>
        knex('refresh_state')
          .whereNotNull('processed_entity')
          .pluck('entity_ref');
      const deadline = Date.now() + 5000;
      while ((await processed()).length < 2 && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 10));
      }
      await catalog.engine.stop();

      await expect(processed()).resolves.toEqual(
        expect.arrayContaining([
          'location:default/root',
          'component:default/a',
        ]),
      );
      expect(marked).toBe(2);
    });
  });
});
