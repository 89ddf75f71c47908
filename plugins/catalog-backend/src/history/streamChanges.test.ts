import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import {
  janeHeader,
  provided,
  readFeed,
  startHistoryBackend,
} from './historyBackend.fixture';
import type { EntityChange } from './historyRows';

const databases = TestDatabases.create({ ids: ['PGLITE'] });

const team = (name: string) =>
  provided('Group', name, { type: 'team', children: [] });

interface ServerSentEvent {
  id?: string;
  event?: string;
  data?: string;
}

/**
 * An event stream over real HTTP that collects what arrives: events and
 * comments, split as an EventSource splits them.
 */
function openStream(
  port: number,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  body: string;
  events: ServerSentEvent[];
  comments: string[];
  ended: Promise<void>;
  close(): void;
}> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: '/api/catalog/changes',
        headers: {
          accept: 'text/event-stream',
          authorization: janeHeader,
          ...headers,
        },
      },
      res => {
        const stream = {
          status: res.statusCode ?? 0,
          body: '',
          events: [] as ServerSentEvent[],
          comments: [] as string[],
          ended: new Promise<void>(done => res.on('close', () => done())),
          close: () => req.destroy(),
        };
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          stream.body += chunk;
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event: ServerSentEvent = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) {
                stream.comments.push(line.slice(1).trim());
              } else {
                const [field, ...rest] = line.split(': ');
                if (field === 'id' || field === 'event' || field === 'data') {
                  event[field] = rest.join(': ');
                }
              }
            }
            if (event.data) {
              stream.events.push(event);
            }
            end = buffer.indexOf('\n\n');
          }
        });
        resolve(stream);
      },
    );
    req.on('error', reject);
  });
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(done => setTimeout(done, 20));
  }
}

describe('streamChanges', () => {
  let knex: Knex;
  let catalog: Awaited<ReturnType<typeof startHistoryBackend>>;
  let port: number;
  beforeAll(async () => {
    knex = await databases.init('PGLITE');
    catalog = await startHistoryBackend({
      knex,
      history: { maxStreams: 2 },
    });
    port = (catalog.backend.server.address() as AddressInfo).port;
    await catalog.provide([team('team-a'), team('team-b'), team('team-c')]);
    await catalog.settle();
  }, 60_000);
  afterAll(async () => {
    await catalog?.backend.stop();
  });

  it('resumes with Last-Event-ID after the last event received, then streams new changes live', async () => {
    const { items } = await readFeed(catalog.backend.server, janeHeader);
    expect(items).toHaveLength(3);

    const first = await openStream(port);
    expect(first.status).toBe(200);
    await waitFor(() => first.events.length >= 3, 'the first three events');
    first.close();
    expect(first.events.map(e => [e.event, e.id])).toEqual(
      items.map(item => ['change', item.cursor]),
    );

    const resumed = await openStream(port, {
      'last-event-id': items[1].cursor,
    });
    await waitFor(() => resumed.events.length >= 1, 'the resumed event');
    await catalog.provide([
      team('team-a'),
      team('team-b'),
      team('team-c'),
      team('team-d'),
    ]);
    await waitFor(() => resumed.events.length >= 2, 'the live event');
    await waitFor(() => resumed.comments.includes('heartbeat'), 'a heartbeat');
    resumed.close();
    const received = resumed.events.map(
      e => JSON.parse(e.data!) as EntityChange,
    );
    expect(received.map(c => [c.cursor, c.type, c.entityRef])).toEqual([
      [items[2].cursor, 'created', items[2].entityRef],
      [expect.any(String), 'created', 'group:default/team-d'],
    ]);
    expect(resumed.events[1].id).toBe(received[1].cursor);
  }, 60_000);

  it('refuses a malformed Last-Event-ID with a 400 before streaming', async () => {
    const stream = await openStream(port, { 'last-event-id': 'latest' });
    await stream.ended;
    expect(stream.status).toBe(400);
    expect(JSON.parse(stream.body).error.message).toBe(
      "Invalid header 'Last-Event-ID' 'latest': expected a cursor such as '1234-56' from a change's 'cursor' or a page's 'nextCursor'.",
    );
  });

  it('refuses a stream past catalog.history.maxStreams with a 503 and ends open streams at shutdown', async () => {
    const open = [await openStream(port), await openStream(port)];
    await waitFor(
      () => open.every(s => s.events.length > 0),
      'both streams to start',
    );
    const refused = await openStream(port);
    await refused.ended;
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).error.message).toBe(
      "This catalog instance already serves 2 change streams, the most 'catalog.history.maxStreams' allows. Retry later, use long polling with GET /changes?wait=, or raise the limit.",
    );

    await catalog.backend.stop();
    await Promise.all(open.map(s => s.ended));
  }, 60_000);
});
