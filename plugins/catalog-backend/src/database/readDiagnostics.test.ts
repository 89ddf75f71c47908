import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import type { EntityPermissionFilter } from '../entities/EntitiesCatalog';
import {
  clearCatalogTables,
  componentYaml,
  createTestCatalog,
  locationEntity,
  type TestCatalog,
} from '../processing/createTestCatalog.fixture';
import { applyDatabaseMigrations } from './applyDatabaseMigrations';
import { readDiagnostics } from './readDiagnostics';

const databases = TestDatabases.create();

/** Components and groups only: location entities are hidden. */
const componentsAndGroups: EntityPermissionFilter = {
  anyOf: [
    { key: 'kind', values: ['component'] },
    { key: 'kind', values: ['group'] },
  ],
};

const groupYaml = (name: string) => `---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: ${name} }
spec: { type: team, children: [] }
`;

/**
 * A catalog from the 'config' provider: location 'root' reads four
 * components and group team-a; 'second' reads a component 'shared' that
 * root already owns (a conflict); 'broken' points at a missing file.
 * Component 'failing' processes once, then fails; 'dropped' is dropped
 * from root's file, so it is an orphan under the 'keep' strategy.
 */
async function buildCatalog(knex: Knex): Promise<TestCatalog> {
  const failing = new Set<string>();
  const catalog = createTestCatalog(knex, {
    orphanStrategy: 'keep',
    extraProcessors: [
      {
        getProcessorName: () => 'FailOnDemand',
        async preProcessEntity(entity) {
          if (failing.has(entity.metadata.name)) {
            throw new Error(
              `Entity '${entity.metadata.name}' failed on demand.`,
            );
          }
          return entity;
        },
      },
    ],
  });
  const rootFile = (names: string[]) =>
    [
      ...names.map(
        n => `---\n${componentYaml(n, n === 'failing' ? 'team-b' : 'team-a')}`,
      ),
      groupYaml('team-a'),
    ].join('');
  catalog.files.set(
    '/root.yaml',
    rootFile(['a', 'shared', 'failing', 'dropped']),
  );
  catalog.files.set('/second.yaml', componentYaml('shared', 'team-x'));
  const connection = catalog.connect('config');
  await connection.applyMutation({
    type: 'full',
    entities: [{ entity: locationEntity('root', '/root.yaml') }],
  });
  await catalog.runUntilIdle();
  await connection.applyMutation({
    type: 'full',
    entities: ['root', 'second', 'broken'].map(name => ({
      entity: locationEntity(name, `/${name}.yaml`),
    })),
  });
  failing.add('failing');
  catalog.files.set('/root.yaml', rootFile(['a', 'shared', 'failing']));
  await makeDue(knex, ['location:default/root', 'component:default/failing']);
  await catalog.runUntilIdle();
  return catalog;
}

async function makeDue(knex: Knex, refs: string[]): Promise<void> {
  await knex('refresh_state')
    .whereIn('entity_ref', refs)
    .update({ next_update_at: knex.raw(`now() - INTERVAL '1 second'`) });
}

describe('readDiagnostics', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      await clearCatalogTables(knex);
      await buildCatalog(knex);
    }, 60_000);

    const diagnose = (
      options: { readFilter?: EntityPermissionFilter; limit?: number } = {},
    ) =>
      readDiagnostics(knex, { limit: 20, stuckAfterMs: 300_000, ...options });

    it('groups processing errors by location, owner and provider', async () => {
      const { errors } = await diagnose();

      expect(errors).toEqual({
        total: 3,
        byLocation: [
          { key: 'mem:/config/broken', entities: 1 },
          { key: 'mem:/config/second', entities: 1 },
          { key: 'mem:/root.yaml', entities: 1 },
        ],
        byOwner: [{ key: 'group:default/team-b', entities: 1 }],
        byProvider: [{ key: 'config', entities: 3 }],
      });
    });

    it('lists a conflict with both location keys and the parent that emitted it', async () => {
      const { conflicts } = await diagnose();

      expect(conflicts).toEqual([
        {
          entityRef: 'component:default/shared',
          locationKey: 'mem:/root.yaml',
          conflictingLocationKey: 'mem:/second.yaml',
          emittedBy: { entityRef: 'location:default/second' },
          since: expect.any(String),
        },
      ]);
    });

    it('counts orphans and samples them', async () => {
      await expect(diagnose()).resolves.toMatchObject({
        orphans: { count: 1, sample: ['component:default/dropped'] },
      });
    });

    it('ranks entities by incoming relations', async () => {
      const { fanIn } = await diagnose({ limit: 1 });

      // a, shared and dropped are owned by team-a; failing keeps its
      // relation to team-b from the run before it failed.
      expect(fanIn).toEqual([
        { entityRef: 'group:default/team-a', relations: 3 },
      ]);
    });

    it('lists an entity due for processing longer than the threshold, with its errors, unless a live run holds it', async () => {
      await knex('refresh_state')
        .whereIn('entity_ref', [
          'location:default/broken',
          'component:default/a',
        ])
        .update({ next_update_at: knex.raw(`now() - INTERVAL '10 minutes'`) });
      await knex('refresh_state')
        .where({ entity_ref: 'component:default/a' })
        .update({
          claim_id: 'run-1',
          claim_expires_at: knex.raw(`now() + INTERVAL '1 minute'`),
        });

      const { stuck, queues } = await diagnose();

      expect(stuck.unprocessed).toEqual([
        {
          entityRef: 'location:default/broken',
          since: expect.any(String),
          ageSeconds: expect.any(Number),
          errors: [expect.objectContaining({ name: 'NotFoundError' })],
        },
      ]);
      expect(stuck.unprocessed[0].ageSeconds).toBeGreaterThanOrEqual(599);
      expect(queues.processing).toEqual({
        due: 1,
        oldestDueAgeSeconds: expect.any(Number),
        claimed: 1,
      });
      await knex('refresh_state')
        .whereIn('entity_ref', [
          'location:default/broken',
          'component:default/a',
        ])
        .update({
          claim_id: null,
          claim_expires_at: null,
          next_update_at: knex.raw(`now() + INTERVAL '1 hour'`),
        });
    });

    it('lists an entity waiting for a stitch longer than the threshold', async () => {
      await knex('stitch_queue').insert({
        entity_id: knex('refresh_state')
          .where({ entity_ref: 'component:default/a' })
          .select('entity_id'),
        next_stitch_at: knex.raw(`now() - INTERVAL '6 minutes'`),
        next_stitch_ticket: 't',
      });

      const { stuck, queues } = await diagnose();

      expect(stuck.unstitched).toEqual([
        {
          entityRef: 'component:default/a',
          since: expect.any(String),
          ageSeconds: expect.any(Number),
        },
      ]);
      expect(queues.stitching.pending).toBe(1);
      expect(queues.stitching.oldestAgeSeconds).toBeGreaterThanOrEqual(359);
      await knex('stitch_queue').delete();
    });

    it('keeps each list within the limit', async () => {
      const diagnosis = await diagnose({ limit: 1 });

      expect(diagnosis.errors.total).toBe(3);
      expect(diagnosis.errors.byLocation).toEqual([
        { key: 'mem:/config/broken', entities: 1 },
      ]);
    });

    it('names and counts only the entities the reader may read', async () => {
      await knex('refresh_state')
        .whereIn('entity_ref', [
          'location:default/broken',
          'component:default/dropped',
        ])
        .update({ next_update_at: knex.raw(`now() - INTERVAL '10 minutes'`) });

      const diagnosis = await diagnose({ readFilter: componentsAndGroups });

      expect(diagnosis.errors).toEqual({
        total: 1,
        byLocation: [{ key: 'mem:/root.yaml', entities: 1 }],
        byOwner: [{ key: 'group:default/team-b', entities: 1 }],
        byProvider: [{ key: 'config', entities: 1 }],
      });
      expect(diagnosis.stuck.unprocessed.map(s => s.entityRef)).toEqual([
        'component:default/dropped',
      ]);
      // The conflict's parent is a location, which the reader may not read.
      expect(diagnosis.conflicts).toEqual([]);
      expect(diagnosis.orphans.count).toBe(1);
      await expect(
        diagnose({
          readFilter: { anyOf: [] } as unknown as EntityPermissionFilter,
        }),
      ).resolves.toMatchObject({
        stuck: { unprocessed: [], unstitched: [] },
        errors: { total: 0, byLocation: [], byOwner: [], byProvider: [] },
        orphans: { count: 0, sample: [] },
        fanIn: [],
        conflicts: [],
      });
    });
  });
});
