import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import {
  clearCatalogTables,
  componentYaml,
  createTestCatalog,
  locationEntity,
  type TestCatalog,
} from '../processing/createTestCatalog.fixture';
import { applyDatabaseMigrations } from './applyDatabaseMigrations';
import { readProcessingErrors } from './processingErrors';

const databases = TestDatabases.create();

describe('readProcessingErrors', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    let catalog: TestCatalog;
    const failing = new Set<string>();

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
      failing.clear();
      catalog = createTestCatalog(knex, {
        extraProcessors: [
          {
            getProcessorName: () => 'FailOnDemand',
            async preProcessEntity(entity) {
              if (failing.has(entity.metadata.name)) {
                throw new Error(`Entity '${entity.metadata.name}' failed.`);
              }
              return entity;
            },
          },
        ],
      });
      catalog.files.set(
        '/root.yaml',
        [
          componentYaml('kindless', 'team-a'),
          componentYaml('namespaced', 'user:people/jane', '\n  namespace: ops'),
          componentYaml('other-namespace', 'team-b', '\n  namespace: ops'),
        ].join('---\n'),
      );
      await catalog.connect('config').applyMutation({
        type: 'full',
        entities: [{ entity: locationEntity('root', '/root.yaml') }],
      });
      await catalog.runUntilIdle();
    });

    async function rerun(refs: string[]): Promise<void> {
      await knex('refresh_state')
        .whereIn('entity_ref', refs)
        .update({ next_update_at: knex.raw(`now() - INTERVAL '1 second'`) });
      await catalog.runUntilIdle();
    }

    const all = [
      'component:default/kindless',
      'component:ops/namespaced',
      'component:ops/other-namespace',
    ];

    it('names owners as their ownedBy relation would, with the root provider and location', async () => {
      ['kindless', 'namespaced', 'other-namespace'].forEach(n =>
        failing.add(n),
      );
      await rerun(all);

      const { items, more } = await readProcessingErrors(knex, { limit: 10 });

      expect(more).toBe(false);
      expect(
        items.map(i => [i.entityRef, i.owner, i.provider, i.location]),
      ).toEqual([
        [
          'component:default/kindless',
          'group:default/team-a',
          'config',
          'mem:/root.yaml',
        ],
        [
          'component:ops/namespaced',
          'user:people/jane',
          'config',
          'mem:/root.yaml',
        ],
        [
          'component:ops/other-namespace',
          'group:ops/team-b',
          'config',
          'mem:/root.yaml',
        ],
      ]);
      expect(items[0].errors).toEqual([
        {
          name: 'Error',
          message:
            "Processor 'FailOnDemand' failed to pre-process entity 'component:default/kindless'",
          cause: { name: 'Error', message: "Entity 'kindless' failed." },
        },
      ]);
      await expect(
        readProcessingErrors(knex, { limit: 10, owner: 'group:ops/team-b' }),
      ).resolves.toMatchObject({
        items: [{ entityRef: 'component:ops/other-namespace' }],
      });
    });

    it('keeps the time errors began while they last, and forgets it once processing succeeds', async () => {
      failing.add('kindless');
      await rerun(['component:default/kindless']);
      const [first] = (await readProcessingErrors(knex, { limit: 10 })).items;

      await rerun(['component:default/kindless']);
      const [again] = (await readProcessingErrors(knex, { limit: 10 })).items;
      failing.clear();
      await rerun(['component:default/kindless']);

      expect(again.since).toBe(first.since);
      await expect(readProcessingErrors(knex, { limit: 10 })).resolves.toEqual({
        items: [],
        more: false,
      });
    });

    it('pages by ref after the cursor', async () => {
      ['kindless', 'namespaced', 'other-namespace'].forEach(n =>
        failing.add(n),
      );
      await rerun(all);

      const first = await readProcessingErrors(knex, { limit: 2 });
      const second = await readProcessingErrors(knex, {
        limit: 2,
        after: first.items[1].entityRef,
      });

      expect(first.more).toBe(true);
      expect([...first.items, ...second.items].map(i => i.entityRef)).toEqual(
        all,
      );
      expect(second.more).toBe(false);
    });
  });
});
