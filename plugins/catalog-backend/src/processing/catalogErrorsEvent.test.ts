import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@plinth/backend-plugin-api';
import {
  MockUrlReader,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { eventsServiceRef, type EventParams } from '@plinth/plugin-events-node';
import { catalogPlugin } from '../plugin';
import { CATALOG_ERRORS_TOPIC } from './catalogErrorsEvent';

const target = 'https://git.example.com/acme/catalog-info.yaml';

describe('CATALOG_ERRORS_TOPIC', () => {
  it('receives one event per failed processing, in the shape catalog-backend-module-logs reads', async () => {
    const received: EventParams[] = [];
    // Subscribes as catalog-backend-module-logs does: a catalog module.
    const logsLikeModule = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'errors-listener',
      register(env) {
        env.registerInit({
          deps: { events: eventsServiceRef },
          async init({ events }) {
            await events.subscribe({
              id: 'catalog-errors-test',
              topics: [CATALOG_ERRORS_TOPIC],
              onEvent: async event => {
                received.push(event);
              },
            });
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        logsLikeModule,
        createServiceFactory({
          service: coreServices.urlReader,
          deps: {},
          factory: () =>
            new MockUrlReader({
              [target]:
                'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: cart }\nspec: { type: service, lifecycle: production, owner: team-a, system: { not: a-ref } }\n',
            }),
        }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'Location'] }],
              locations: [{ type: 'url', target }],
            },
          },
        }),
      ],
    });
    try {
      const deadline = Date.now() + 60_000;
      while (received.length === 0) {
        if (Date.now() > deadline) {
          throw new Error(
            `Timed out waiting for an event on '${CATALOG_ERRORS_TOPIC}'`,
          );
        }
        await new Promise(done => setTimeout(done, 50));
      }
      expect(received).toEqual([
        {
          topic: CATALOG_ERRORS_TOPIC,
          eventPayload: {
            entity: 'component:default/cart',
            location: `url:${target}`,
            errors: [
              expect.objectContaining({
                name: 'EntityValidationError',
                message: expect.stringContaining(
                  "Invalid entity 'component:default/cart'",
                ),
              }),
            ],
          },
        },
      ]);
    } finally {
      await backend.stop();
    }
  }, 90_000);
});
