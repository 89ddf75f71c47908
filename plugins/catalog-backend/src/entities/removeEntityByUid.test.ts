import { MockLoggerService, TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import {
  clearCatalogTables,
  componentYaml,
  createTestCatalog,
  locationEntity,
  type TestCatalog,
} from '../processing/createTestCatalog.fixture';
import { removeEntityByUid } from './removeEntityByUid';

const databases = TestDatabases.create();

const nestedLocationYaml = `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: nested
spec:
  type: mem
  target: /nested.yaml
`;

describe('removeEntityByUid', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    let logger: MockLoggerService;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await clearCatalogTables(knex);
      logger = MockLoggerService.create();
    });

    /**
     * Provider 'test' gives Location 'root', which emits component 'a' and
     * Location 'nested', which emits component 'n'.
     */
    async function createTree(
      orphanStrategy: 'delete' | 'keep' = 'delete',
    ): Promise<TestCatalog> {
      const catalog = createTestCatalog(knex, { orphanStrategy });
      catalog.files.set(
        '/catalog.yaml',
        [componentYaml('a'), nestedLocationYaml].join('---\n'),
      );
      catalog.files.set('/nested.yaml', componentYaml('n'));
      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: locationEntity('root', '/catalog.yaml') }],
      });
      await catalog.runUntilIdle();
      return catalog;
    }

    const uidOf = async (ref: string) => {
      const [uid] = await knex('refresh_state')
        .where({ entity_ref: ref })
        .pluck('entity_id');
      return uid as string;
    };

    const known = () =>
      knex('refresh_state').orderBy('entity_ref').pluck('entity_ref');

    it('deletes what the removed entity emitted, down the tree, when the orphan strategy is delete, and logs it', async () => {
      const catalog = await createTree();
      const uid = await uidOf('location:default/root');

      await removeEntityByUid(knex, uid, { orphanStrategy: 'delete', logger });
      await catalog.runUntilIdle();

      await expect(known()).resolves.toEqual([]);
      await expect(catalog.servedRefs()).resolves.toEqual([]);
      expect(logger.messages('info')).toEqual([
        `Deleted 3 entities that nothing references any more, since entity 'location:default/root', which emitted them or their ancestors, was removed by uid '${uid}': 'component:default/a', 'component:default/n', 'location:default/nested'.`,
      ]);
    });

    it('keeps what the removed entity emitted with the orphan annotation when the orphan strategy is keep', async () => {
      const catalog = await createTree('keep');

      await removeEntityByUid(knex, await uidOf('location:default/root'), {
        orphanStrategy: 'keep',
        logger,
      });
      await catalog.runUntilIdle();

      await expect(catalog.servedRefs()).resolves.toEqual([
        'component:default/a',
        'component:default/n',
        'location:default/nested',
      ]);
      const orphan = async (ref: string) =>
        (await catalog.entity(ref))?.metadata.annotations?.[
          'backstage.io/orphan'
        ];
      await expect(orphan('component:default/a')).resolves.toBe('true');
      await expect(orphan('location:default/nested')).resolves.toBe('true');
      // Its parent still emits it.
      await expect(orphan('component:default/n')).resolves.toBeUndefined();
      expect(logger.messages('info')).toEqual([]);
    });

    it('keeps a child that another source still references', async () => {
      const catalog = await createTree();
      const a = await catalog.entity('component:default/a');
      await catalog.connect('other').applyMutation({
        type: 'full',
        entities: [{ entity: a!, locationKey: 'mem:/catalog.yaml' }],
      });

      await removeEntityByUid(knex, await uidOf('location:default/root'), {
        orphanStrategy: 'delete',
        logger,
      });

      await expect(known()).resolves.toEqual(['component:default/a']);
    });

    it("brings back an entity its provider still gives, with its children, on the provider's next full mutation", async () => {
      const catalog = await createTree();
      const uid = await uidOf('location:default/root');
      await removeEntityByUid(knex, uid, { orphanStrategy: 'delete', logger });

      await catalog.connect('test').applyMutation({
        type: 'full',
        entities: [{ entity: locationEntity('root', '/catalog.yaml') }],
      });
      await catalog.runUntilIdle();

      await expect(catalog.servedRefs()).resolves.toEqual([
        'component:default/a',
        'component:default/n',
        'location:default/nested',
        'location:default/root',
      ]);
      await expect(uidOf('location:default/root')).resolves.not.toBe(uid);
    });

    it("brings back a child its parent still emits on the parent's next run", async () => {
      const catalog = await createTree();
      const uid = await uidOf('component:default/a');

      await removeEntityByUid(knex, uid, { orphanStrategy: 'delete', logger });
      await expect(catalog.entity('component:default/a')).resolves.toBe(
        undefined,
      );
      await catalog.runUntilIdle();

      await expect(
        catalog.entity('component:default/a'),
      ).resolves.toMatchObject({ metadata: { name: 'a' } });
      await expect(uidOf('component:default/a')).resolves.not.toBe(uid);
      expect(logger.messages('info')).toEqual([]);
    });

    it('does nothing for an unknown uid', async () => {
      await createTree();
      const before = await known();

      await removeEntityByUid(knex, 'no-such-uid', { logger });

      await expect(known()).resolves.toEqual(before);
      expect(logger.lines).toEqual([]);
    });
  });
});
