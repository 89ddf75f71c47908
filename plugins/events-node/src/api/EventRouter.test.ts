import { MockLoggerService } from '@plinth/backend-test-utils';
import { DefaultEventsService } from '../service/DefaultEventsService';
import type { EventParams, EventsService } from './EventsService';
import { EventRouter, SubTopicEventRouter } from './EventRouter';

class ActionRouter extends SubTopicEventRouter {
  constructor(events: EventsService) {
    super({ events, topic: 'github' });
  }
  protected getSubscriberId() {
    return 'ActionRouter';
  }
  protected determineSubTopic(params: EventParams) {
    return (params.eventPayload as { action?: string }).action;
  }
}

class FixedRouter extends EventRouter {
  constructor(events: EventsService) {
    super({ events, topics: ['a', 'b'] });
  }
  protected getSubscriberId() {
    return 'FixedRouter';
  }
  protected determineDestinationTopic(params: EventParams) {
    return params.topic === 'a' ? 'routed' : undefined;
  }
}

function setup() {
  const events = DefaultEventsService.create({
    logger: MockLoggerService.create(),
  }).forPlugin('events');
  const received: EventParams[] = [];
  return {
    events,
    received,
    listen: (topics: string[]) =>
      events.subscribe({
        id: 'listener',
        topics,
        onEvent: async e => void received.push(e),
      }),
  };
}

describe('SubTopicEventRouter', () => {
  it('republishes an event on the sub-topic it determines, with payload and metadata unchanged', async () => {
    const { events, received, listen } = setup();
    await new ActionRouter(events).subscribe();
    await listen(['github.opened']);

    await events.publish({
      topic: 'github',
      eventPayload: { action: 'opened' },
      metadata: { 'x-github-event': 'pull_request' },
    });

    expect(received).toEqual([
      {
        topic: 'github.opened',
        eventPayload: { action: 'opened' },
        metadata: { 'x-github-event': 'pull_request' },
      },
    ]);
  });

  it('drops an event without a sub-topic', async () => {
    const { events, received, listen } = setup();
    const router = new ActionRouter(events);
    await router.subscribe();
    await listen(['github', 'github.undefined']);

    await events.publish({ topic: 'github', eventPayload: {} });

    expect(received.map(e => e.topic)).toEqual(['github']);
  });
});

describe('EventRouter', () => {
  it('routes events of each of its topics by its rule and subscribes once however often asked', async () => {
    const { events, received, listen } = setup();
    const router = new FixedRouter(events);
    await router.subscribe();
    await router.subscribe();
    await listen(['routed']);

    await events.publish({ topic: 'a', eventPayload: 1 });
    await events.publish({ topic: 'b', eventPayload: 2 });

    expect(received).toEqual([{ topic: 'routed', eventPayload: 1 }]);
  });
});
