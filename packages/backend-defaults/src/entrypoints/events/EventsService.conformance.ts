import type { EventParams, EventsService } from '@plinth/plugin-events-node';

/** An events service under test, as its backend would hand it out. */
export interface EventsServiceUnderTest {
  /** The service as plugin `pluginId` sees it. */
  forPlugin(pluginId: string): EventsService;
  /**
   * The lines the service logged, such as a `MockLoggerService` of
   * `@plinth/backend-test-utils` keeps.
   */
  logger: {
    readonly lines: ReadonlyArray<{ message: string; meta?: unknown }>;
  };
  /** Stops delivery and releases what the service holds. */
  stop(): Promise<void>;
}

/** Waits until `check` passes, polling; fails with its last error. */
export async function eventually(
  check: () => void | Promise<void>,
  timeoutMs = 5000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }
}

/**
 * What every events service does, whether it delivers in process or
 * through the database. Delivery is awaited with {@link eventually}, since
 * only the in-process service delivers before `publish` resolves.
 */
export function describeEventsServiceConformance(
  create: () => Promise<EventsServiceUnderTest>,
) {
  let service: EventsServiceUnderTest;

  beforeEach(async () => {
    service = await create();
  });

  afterEach(async () => {
    await service.stop();
  });

  function recorder() {
    const received: EventParams[] = [];
    return {
      received,
      onEvent: async (e: EventParams) => void received.push(e),
    };
  }

  it('delivers an event with its payload and metadata to a subscriber of its topic', async () => {
    const { received, onEvent } = recorder();
    await service
      .forPlugin('catalog')
      .subscribe({ id: 'refresh', topics: ['github.push'], onEvent });

    await service.forPlugin('github').publish({
      topic: 'github.push',
      eventPayload: { ref: 'main', commits: [1, 2] },
      metadata: { 'x-github-event': 'push' },
    });

    await eventually(() =>
      expect(received).toEqual([
        {
          topic: 'github.push',
          eventPayload: { ref: 'main', commits: [1, 2] },
          metadata: { 'x-github-event': 'push' },
        },
      ]),
    );
  });

  it('delivers no event of a topic the subscriber did not ask for', async () => {
    const { received, onEvent } = recorder();
    await service
      .forPlugin('catalog')
      .subscribe({ id: 'refresh', topics: ['wanted'], onEvent });

    await service.forPlugin('a').publish({ topic: 'other', eventPayload: 1 });
    await service.forPlugin('a').publish({ topic: 'wanted', eventPayload: 2 });

    await eventually(() => expect(received).toHaveLength(1));
    expect(received.map(e => e.eventPayload)).toEqual([2]);
  });

  it('delivers events of one topic in publish order', async () => {
    const { received, onEvent } = recorder();
    await service
      .forPlugin('catalog')
      .subscribe({ id: 'ordered', topics: ['t'], onEvent });

    for (let i = 0; i < 20; i++) {
      await service.forPlugin('a').publish({ topic: 't', eventPayload: i });
    }

    await eventually(() => expect(received).toHaveLength(20));
    expect(received.map(e => e.eventPayload)).toEqual([...Array(20).keys()]);
  });

  it('delivers each event to one subscriber of an id that is subscribed twice', async () => {
    const first = recorder();
    const second = recorder();
    const catalog = service.forPlugin('catalog');
    await catalog.subscribe({
      id: 'group',
      topics: ['t'],
      onEvent: first.onEvent,
    });
    await catalog.subscribe({
      id: 'group',
      topics: ['t'],
      onEvent: second.onEvent,
    });
    const other = recorder();
    await catalog.subscribe({
      id: 'other',
      topics: ['t'],
      onEvent: other.onEvent,
    });

    await service.forPlugin('a').publish({ topic: 't', eventPayload: 'x' });

    await eventually(() => expect(other.received).toHaveLength(1));
    await eventually(() =>
      expect(first.received.length + second.received.length).toBe(1),
    );
  });

  it('keeps the subscribers of two plugins apart even when they use the same id', async () => {
    const catalog = recorder();
    const search = recorder();
    await service
      .forPlugin('catalog')
      .subscribe({ id: 'same', topics: ['t'], onEvent: catalog.onEvent });
    await service
      .forPlugin('search')
      .subscribe({ id: 'same', topics: ['t'], onEvent: search.onEvent });

    await service.forPlugin('a').publish({ topic: 't', eventPayload: 'x' });

    await eventually(() => {
      expect(catalog.received).toHaveLength(1);
      expect(search.received).toHaveLength(1);
    });
  });

  it('logs a failing subscriber with its id and topic and still serves the others', async () => {
    const healthy = recorder();
    await service.forPlugin('catalog').subscribe({
      id: 'broken',
      topics: ['t'],
      onEvent: async () => {
        throw new Error('handler exploded');
      },
    });
    await service
      .forPlugin('catalog')
      .subscribe({ id: 'healthy', topics: ['t'], onEvent: healthy.onEvent });

    await service.forPlugin('a').publish({ topic: 't', eventPayload: 'x' });

    await eventually(() => expect(healthy.received).toHaveLength(1));
    await eventually(() =>
      expect(
        service.logger.lines.some(
          line =>
            /^Subscriber 'catalog.broken' failed to handle .*topic 't'/.test(
              line.message,
            ) &&
            (line.meta as Error | undefined)?.message === 'handler exploded',
        ),
      ).toBe(true),
    );
  });

  it('refuses to publish an event without a topic', async () => {
    await expect(
      service.forPlugin('a').publish({ topic: '', eventPayload: 1 }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Cannot publish an event: 'topic' must be a non-empty string, got the string ''.",
    });
  });

  it('refuses a subscription without topics', async () => {
    await expect(
      service
        .forPlugin('catalog')
        .subscribe({ id: 'x', topics: [], onEvent: async () => {} }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Cannot subscribe plugin 'catalog' to events: 'topics' of subscriber 'x' must be a non-empty array of non-empty strings, got an array.",
    });
  });
}
