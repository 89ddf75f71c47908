import { TestDatabases } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { DefaultEntitiesCatalog } from '../entities/DefaultEntitiesCatalog';
import { seedFinalEntities } from '../entities/seedFinalEntities.fixture';
import {
  findUnresolvedRelations,
  maxBatchRelationTargets,
} from './describeBatchProblems';

const databases = TestDatabases.create();

function component(name: string, dependsOn: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name },
    spec: { type: 'service', dependsOn },
  };
}

/** A processed document whose relations point to `targets`. */
function related(targets: string[]) {
  const entity = component('checkout', targets);
  return {
    ref: 'component:default/checkout',
    sent: entity,
    completed: entity,
    otherEnds: targets.map(ref => ({ ref, relationType: 'dependsOn' })),
  };
}

describe('findUnresolvedRelations', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let catalog: DefaultEntitiesCatalog;

    beforeAll(async () => {
      const knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      await seedFinalEntities(knex, [component('cart', [])]);
      catalog = DefaultEntitiesCatalog.create({ knex });
    });

    it('looks the targets up maxEntityRefs at a time and warns of each missing one at its path', async () => {
      const ghosts = Array.from(
        { length: 2500 },
        (_, i) => `component:default/ghost-${i}`,
      );
      const lookups = jest.spyOn(catalog, 'getEntitiesByRefs');
      try {
        const warnings = await findUnresolvedRelations(
          catalog,
          [related(['component:default/cart', ...ghosts])],
          new Set(['component:default/checkout']),
          { readFilter: undefined, maxEntityRefs: 1000 },
        );
        expect(
          lookups.mock.calls.map(([request]) => request.entityRefs.length),
        ).toEqual([1000, 1000, 501]);
        const issues = warnings.get('component:default/checkout')!;
        expect(issues).toHaveLength(2500);
        expect(issues[2499]).toEqual({
          message:
            "Relation 'dependsOn' from 'spec.dependsOn[2500]' points to 'component:default/ghost-2499', which is neither in the batch nor in the catalog. The catalog keeps it as a dangling relation; add the entity, or fix the ref.",
          path: 'spec.dependsOn[2500]',
        });
      } finally {
        lookups.mockRestore();
      }
    });

    it('refuses a batch whose relations point to more entities outside it than it may look up', async () => {
      const targets = Array.from(
        { length: maxBatchRelationTargets + 1 },
        (_, i) => `component:default/ghost-${i}`,
      );
      await expect(
        findUnresolvedRelations(catalog, [related(targets)], new Set(), {
          readFilter: undefined,
          maxEntityRefs: 1000,
        }),
      ).rejects.toThrow(
        'Invalid request body for POST /validate-entities: the relations of its documents point to 10001 entities outside the batch, more than the 10000 one batch may look up. Split the documents over several requests.',
      );
    });
  });
});
