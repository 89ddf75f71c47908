import { createBackendPlugin } from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import type { EventParams, EventsService } from '../api/EventsService';
import { eventsServiceFactory, eventsServiceRef } from './eventsServiceRef';

function pluginWithEvents(pluginId: string, use: (e: EventsService) => void) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          use(events);
        },
      });
    },
  });
}

describe('eventsServiceRef', () => {
  it("has Backstage's id and scope", () => {
    expect({ id: eventsServiceRef.id, scope: eventsServiceRef.scope }).toEqual({
      id: 'events.service',
      scope: 'plugin',
    });
  });

  it('falls back to the in-process service shared by every plugin when the backend has no factory', async () => {
    const services: Record<string, EventsService> = {};
    await startTestBackend({
      features: [
        pluginWithEvents('producer', e => (services.producer = e)),
        pluginWithEvents('consumer', e => (services.consumer = e)),
      ],
    });
    const received: EventParams[] = [];
    await services.consumer.subscribe({
      id: 'sub',
      topics: ['t'],
      onEvent: async e => void received.push(e),
    });

    await services.producer.publish({ topic: 't', eventPayload: 42 });

    expect(received).toEqual([{ topic: 't', eventPayload: 42 }]);
  });
});

describe('eventsServiceFactory', () => {
  it('logs a failing subscriber with its plugin-prefixed id and the topic', async () => {
    const logger = mockServices.rootLogger();
    let events: EventsService | undefined;
    await startTestBackend({
      features: [
        eventsServiceFactory,
        mockServices.rootLogger.factory({ logger }),
        pluginWithEvents('catalog', e => (events = e)),
      ],
    });
    await events!.subscribe({
      id: 'broken',
      topics: ['t'],
      onEvent: async () => {
        throw new Error('boom');
      },
    });

    await events!.publish({ topic: 't', eventPayload: 1 });

    expect(logger.messages('warn')).toContain(
      "Subscriber 'catalog.broken' failed to handle an event of topic 't'; the event is not retried.",
    );
  });
});
