import { TestDatabases } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import type { EntityProviderConnection } from '@plinth/plugin-catalog-node';
import request from 'supertest';
import {
  GatedUrlReader,
  authorization,
  base,
  componentYaml,
  startReadYourWritesCatalog,
} from './readYourWrites.fixture';

const databases = TestDatabases.create();

// Each test waits for real processing, which a busy machine may slow.
jest.setTimeout(30_000);

function component(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'backstage.io/managed-by-location': 'url:https://provider.example.com',
        'backstage.io/managed-by-origin-location':
          'url:https://provider.example.com',
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

describe('waitForProviderMutation', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    const reader = new GatedUrlReader();
    let server: Parameters<typeof request>[0];
    let connection: EntityProviderConnection;

    beforeAll(async () => {
      const started = await startReadYourWritesCatalog({
        knex: await databases.init(id),
        reader,
        readYourWrites: {},
      });
      server = started.backend.server;
      connection = started.connection;
    }, 60_000);

    const byName = (name: string) =>
      request(server)
        .get(`/api/catalog/entities/by-name/component/default/${name}`)
        .set('authorization', authorization);

    it('resolves once the added entities are stitched, which every read then serves', async () => {
      const result = await connection.applyMutation(
        {
          type: 'delta',
          added: [
            { entity: component('provided-a') },
            { entity: component('provided-b') },
          ],
          removed: [],
        },
        { wait: { timeoutMs: 20_000 } },
      );

      expect(result).toEqual({
        complete: true,
        stitched: [
          'component:default/provided-a',
          'component:default/provided-b',
        ],
        failed: [],
        pending: [],
        removed: [],
      });
      expect((await byName('provided-a')).status).toBe(200);
    });

    it('lists the entities a removal deleted, which reads no longer serve', async () => {
      await connection.applyMutation(
        {
          type: 'delta',
          added: [{ entity: component('provided-gone') }],
          removed: [],
        },
        { wait: { timeoutMs: 20_000 } },
      );

      expect((await byName('provided-gone')).status).toBe(200);

      const result = await connection.applyMutation(
        {
          type: 'delta',
          added: [],
          removed: [{ entityRef: 'component:default/provided-gone' }],
        },
        { wait: { timeoutMs: 20_000 } },
      );

      expect(result).toMatchObject({
        complete: true,
        removed: ['component:default/provided-gone'],
      });
      expect((await byName('provided-gone')).status).toBe(404);
    });

    it('reports an entity another location owns as failed, with the conflict', async () => {
      reader.set(`${base}/owned.yaml`, componentYaml('owned'));
      await request(server)
        .post('/api/catalog/locations?wait=20s')
        .set('authorization', authorization)
        .send({ type: 'url', target: `${base}/owned.yaml` });

      const result = await connection.applyMutation(
        {
          type: 'delta',
          added: [{ entity: component('owned'), locationKey: 'elsewhere' }],
          removed: [],
        },
        { wait: { timeoutMs: 20_000 } },
      );

      expect(result).toEqual({
        complete: true,
        stitched: [],
        failed: [
          {
            entityRef: 'component:default/owned',
            errors: [
              {
                name: 'ConflictError',
                message: expect.stringContaining(
                  "Entity 'component:default/owned' from location 'elsewhere'",
                ),
              },
            ],
          },
        ],
        pending: [],
        removed: [],
      });
    });

    it('resolves with nothing when the provider does not ask to wait', async () => {
      await expect(
        connection.applyMutation({
          type: 'delta',
          added: [{ entity: component('provided-quick') }],
          removed: [],
        }),
      ).resolves.toBeUndefined();
      // The same mutation again, asked to wait, waits for the first.
      await expect(
        connection.applyMutation(
          {
            type: 'delta',
            added: [{ entity: component('provided-quick') }],
            removed: [],
          },
          { wait: { timeoutMs: 20_000 } },
        ),
      ).resolves.toMatchObject({
        complete: true,
        stitched: ['component:default/provided-quick'],
      });
    });

    it('refuses a wait without a positive timeout before writing anything', async () => {
      await expect(
        connection.applyMutation(
          {
            type: 'delta',
            added: [{ entity: component('provided-c') }],
            removed: [],
          },
          { wait: { timeoutMs: 0 } },
        ),
      ).rejects.toThrow(
        "Entity provider 'test-provider' asked applyMutation to wait with 'wait.timeoutMs' 0; give a number of milliseconds greater than zero, or leave 'wait' out.",
      );
    });
  });
});
