import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type BackendFeature,
} from '@plinth/backend-plugin-api';
import {
  MockUrlReader,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import type { JsonObject } from '@plinth/errors';
import {
  catalogProcessingExtensionPoint,
  type EntityProviderConnection,
} from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';
import request from 'supertest';
import { catalogPlugin } from '../plugin';
import type { EntityChange } from './historyRows';

export const base = 'https://git.example.com/acme';
export const janeHeader = mockCredentials.user.header('user:default/jane');
const providerLocation = `url:${base}/provider`;

/** An entity as the test provider gives it, with its location annotations. */
export function provided(kind: string, name: string, spec: JsonObject): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      annotations: {
        'backstage.io/managed-by-location': providerLocation,
        'backstage.io/managed-by-origin-location': providerLocation,
      },
    },
    spec,
  };
}

/**
 * A catalog on `knex` with an entity provider the test drives, URL files
 * from `files`, and fast history timers.
 */
export async function startHistoryBackend(options: {
  knex: Knex;
  files?: Record<string, string>;
  features?: BackendFeature[];
  /** Keys of `catalog.history` on top of the fast timers. */
  history?: JsonObject;
}) {
  let connection: EntityProviderConnection | undefined;
  const providerModule = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'history-test-provider',
    register(env) {
      env.registerInit({
        deps: { processing: catalogProcessingExtensionPoint },
        async init({ processing }) {
          processing.addEntityProvider({
            getProviderName: () => 'history-test',
            async connect(c) {
              connection = c;
            },
          });
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      providerModule,
      ...(options.features ?? []),
      mockServices.database.factory({ knex: options.knex }),
      createServiceFactory({
        service: coreServices.urlReader,
        deps: {},
        factory: () => new MockUrlReader(options.files ?? {}),
      }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [{ allow: ['Component', 'Group', 'Location'] }],
            history: {
              pollInterval: { milliseconds: 50 },
              heartbeatInterval: { milliseconds: 200 },
              maxWait: { seconds: 20 },
              ...options.history,
            },
          },
        },
      }),
    ],
  });
  return {
    backend,
    /** Makes the provider's entities exactly these. */
    async provide(entities: Entity[]) {
      await connection!.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({
          entity,
          locationKey: providerLocation,
        })),
      });
    },
    /** Waits until nothing is due for, or in, processing or stitching. */
    async settle() {
      await waitForQuiet(options.knex);
    },
  };
}

async function waitForQuiet(knex: Knex): Promise<void> {
  const deadline = Date.now() + 60_000;
  let quietRounds = 0;
  while (quietRounds < 3) {
    if (Date.now() > deadline) {
      throw new Error('Timed out waiting for processing and stitching');
    }
    await new Promise(done => setTimeout(done, 100));
    const [{ busy }] = await knex('refresh_state')
      .where('next_update_at', '<=', knex.fn.now())
      .orWhereNotNull('claim_id')
      .count({ busy: '*' });
    const [{ stitching }] = await knex('stitch_queue').count({
      stitching: '*',
    });
    const quiet = Number(busy) === 0 && Number(stitching) === 0;
    quietRounds = quiet ? quietRounds + 1 : 0;
  }
}

/** Every change the feed serves after `after`, as `authorization` may read. */
export async function readFeed(
  server: Parameters<typeof request>[0],
  authorization: string,
  after?: string,
): Promise<{ items: EntityChange[]; nextCursor: string | null }> {
  const items: EntityChange[] = [];
  let cursor = after;
  for (;;) {
    const res = await request(server)
      .get('/api/catalog/changes')
      .query({ limit: 7, ...(cursor ? { after: cursor } : {}) })
      .set('authorization', authorization);
    expect(res.status).toBe(200);
    const page = res.body as {
      items: EntityChange[];
      nextCursor: string | null;
    };
    items.push(...page.items);
    if (page.nextCursor === cursor || page.nextCursor === null) {
      return { items, nextCursor: cursor ?? null };
    }
    cursor = page.nextCursor;
  }
}
