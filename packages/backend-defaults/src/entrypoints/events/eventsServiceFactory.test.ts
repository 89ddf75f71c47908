import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import {
  eventsServiceRef,
  type EventsService,
} from '@plinth/plugin-events-node';
import express from 'express';
import request from 'supertest';
import { eventually } from './EventsService.conformance';
import { eventsServiceFactory } from './eventsServiceFactory';

/** Publishes `POST /api/webhooks/:topic/:value` as an event. */
const webhooksPlugin = createBackendPlugin({
  pluginId: 'webhooks',
  register(env) {
    env.registerInit({
      deps: { events: eventsServiceRef, httpRouter: coreServices.httpRouter },
      async init({ events, httpRouter }) {
        const router = express.Router();
        router.post('/:topic/:value', async (req, res) => {
          await events.publish({
            topic: req.params.topic,
            eventPayload: { value: req.params.value },
          });
          res.status(202).end();
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

/** Serves what it received on topic `deployments` at `GET /api/audit/received`. */
const auditPlugin = createBackendPlugin({
  pluginId: 'audit',
  register(env) {
    env.registerInit({
      deps: { events: eventsServiceRef, httpRouter: coreServices.httpRouter },
      async init({ events, httpRouter }) {
        const received: unknown[] = [];
        await events.subscribe({
          id: 'recorder',
          topics: ['deployments'],
          onEvent: async ({ topic, eventPayload }) =>
            void received.push({ topic, eventPayload }),
        });
        const router = express.Router();
        router.get('/received', (_req, res) => {
          res.json(received);
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

describe('eventsServiceFactory', () => {
  it('delivers what one plugin publishes to a subscriber in another plugin through the database', async () => {
    const backend = await startTestBackend({
      features: [
        webhooksPlugin,
        auditPlugin,
        eventsServiceFactory,
        mockServices.rootConfig.factory({
          data: { events: { pollInterval: { milliseconds: 50 } } },
        }),
      ],
    });

    await request(backend.server)
      .post('/api/webhooks/deployments/v1')
      .expect(202);
    await request(backend.server).post('/api/webhooks/other/v2').expect(202);
    await request(backend.server)
      .post('/api/webhooks/deployments/v3')
      .expect(202);

    await eventually(async () => {
      const response = await request(backend.server).get('/api/audit/received');
      expect(response.body).toEqual([
        { topic: 'deployments', eventPayload: { value: 'v1' } },
        { topic: 'deployments', eventPayload: { value: 'v3' } },
      ]);
    });
    await backend.stop();
    // A first backend opens PGlite and migrates, which takes a while on a
    // busy machine.
  }, 60_000);

  it('leaves eventsServiceRef to its in-process default in a backend without an events factory', async () => {
    let events: EventsService | undefined;
    const received: unknown[] = [];
    await startTestBackend({
      features: [
        createBackendPlugin({
          pluginId: 'audit',
          register(env) {
            env.registerInit({
              deps: { service: eventsServiceRef },
              async init({ service }) {
                events = service;
                await service.subscribe({
                  id: 'recorder',
                  topics: ['t'],
                  onEvent: async e => void received.push(e.eventPayload),
                });
              },
            });
          },
        }),
      ],
    });

    await events!.publish({ topic: 't', eventPayload: 'now' });

    // In process, publish resolves after the subscribers have run.
    expect(received).toEqual(['now']);
  });
});
