import {
  MockAuthService,
  MockHttpAuthService,
  mockCredentials,
} from '@plinth/backend-test-utils';
import { AuthenticationError, InputError } from '@plinth/errors';
import type { Request } from 'express';
import type { AuditorEvent } from './AuditorSink';
import { DefaultAuditorService } from './DefaultAuditorService';

describe('DefaultAuditorService', () => {
  it('writes an initiated and a succeeded event with merged meta', async () => {
    const { auditor, events } = createAuditor();
    const event = await auditor.createEvent({
      eventId: 'item-read',
      meta: { queryType: 'by-id' },
    });
    await event.success({ meta: { count: 1 } });
    expect(events).toEqual([
      {
        plugin: 'todo',
        eventId: 'item-read',
        severityLevel: 'low',
        actor: { actorId: 'plugin:todo' },
        meta: { queryType: 'by-id' },
        status: 'initiated',
      },
      {
        plugin: 'todo',
        eventId: 'item-read',
        severityLevel: 'low',
        actor: { actorId: 'plugin:todo' },
        meta: { queryType: 'by-id', count: 1 },
        status: 'succeeded',
      },
    ]);
  });

  it('names the user of the request as the actor, with the request', async () => {
    const { auditor, events } = createAuditor();
    await auditor.createEvent({
      eventId: 'item-create',
      severityLevel: 'medium',
      request: fakeRequest(mockCredentials.user.header('user:default/jane')),
    });
    expect(events[0]).toEqual({
      plugin: 'todo',
      eventId: 'item-create',
      severityLevel: 'medium',
      actor: {
        actorId: 'user:default/jane',
        ip: '10.0.0.7',
        hostname: 'backstage.example.com',
        userAgent: 'curl/8.0',
      },
      request: { url: '/api/todo/items?x=1', method: 'POST' },
      status: 'initiated',
    });
  });

  it('names the service subject of the request as the actor', async () => {
    const { auditor, events } = createAuditor();
    await auditor.createEvent({
      eventId: 'item-read',
      request: fakeRequest(
        mockCredentials.service.header({ subject: 'external:ci' }),
      ),
    });
    expect(events[0].actor.actorId).toBe('external:ci');
  });

  it('records a failure with the error, without stack or other fields', async () => {
    const { auditor, events } = createAuditor();
    const event = await auditor.createEvent({ eventId: 'item-delete' });
    const error = Object.assign(
      new Error('Delete failed', {
        cause: new InputError('No item 7'),
      }),
      { code: 'E_DELETE', headers: { authorization: 'Bearer secret-token' } },
    );
    await event.fail({ error });
    expect(events[1]).toEqual({
      plugin: 'todo',
      eventId: 'item-delete',
      severityLevel: 'low',
      actor: { actorId: 'plugin:todo' },
      status: 'failed',
      error: {
        name: 'Error',
        message: 'Delete failed',
        code: 'E_DELETE',
        cause: { name: 'InputError', message: 'No item 7' },
      },
    });
  });

  it('fails when the request credentials cannot be read', async () => {
    const { auditor, events } = createAuditor();
    const promise = auditor.createEvent({
      eventId: 'item-read',
      request: fakeRequest(mockCredentials.user.invalidHeader()),
    });
    await expect(promise).rejects.toThrow(
      "Could not record audit event of plugin 'todo': the request's credentials could not be read",
    );
    await expect(promise).rejects.toMatchObject({
      name: 'AuthenticationError',
      cause: expect.any(AuthenticationError),
    });
    expect(events).toEqual([]);
  });

  it('writes events only to the sinks that accept their severity', async () => {
    const written: string[] = [];
    const auth = new MockAuthService({ pluginId: 'todo' });
    const auditor = DefaultAuditorService.create({
      pluginId: 'todo',
      auth,
      httpAuth: new MockHttpAuthService({ auth }),
      sinks: [
        {
          write: e => void written.push(`high-only:${e.severityLevel}`),
          accepts: severity => severity === 'high',
        },
        { write: e => void written.push(`all:${e.severityLevel}`) },
      ],
    });
    await (await auditor.createEvent({ eventId: 'x' })).success();
    await auditor.createEvent({ eventId: 'y', severityLevel: 'high' });
    expect(written).toEqual([
      'all:low',
      'all:low',
      'high-only:high',
      'all:high',
    ]);
  });

  it('builds no event when no sink accepts its severity, yet still refuses unreadable credentials', async () => {
    const auth = new MockAuthService({ pluginId: 'todo' });
    const request = fakeRequest(
      mockCredentials.user.header('user:default/jane'),
    );
    const ip = jest.fn(() => '10.0.0.7');
    Object.defineProperty(request, 'ip', { get: ip });
    const write = jest.fn();
    const auditor = DefaultAuditorService.create({
      pluginId: 'todo',
      auth,
      httpAuth: new MockHttpAuthService({ auth }),
      sinks: [{ write, accepts: () => false }],
    });
    const event = await auditor.createEvent({ eventId: 'x', request });
    await event.success({ meta: { count: 1 } });
    await event.fail({ error: new InputError('bad') });
    expect(write).not.toHaveBeenCalled();
    expect(ip).not.toHaveBeenCalled();
    await expect(
      auditor.createEvent({
        eventId: 'x',
        request: fakeRequest(mockCredentials.user.invalidHeader()),
      }),
    ).rejects.toThrow(
      "Could not record audit event of plugin 'todo': the request's credentials could not be read",
    );
  });

  it('writes each event to every sink, in order', async () => {
    const order: string[] = [];
    const auth = new MockAuthService({ pluginId: 'todo' });
    const auditor = DefaultAuditorService.create({
      pluginId: 'todo',
      auth,
      httpAuth: new MockHttpAuthService({ auth }),
      sinks: [
        { write: e => void order.push(`a:${e.status}`) },
        { write: async e => void order.push(`b:${e.status}`) },
      ],
    });
    await (await auditor.createEvent({ eventId: 'x' })).success();
    expect(order).toEqual([
      'a:initiated',
      'b:initiated',
      'a:succeeded',
      'b:succeeded',
    ]);
  });
});

function createAuditor() {
  const events: AuditorEvent[] = [];
  const auth = new MockAuthService({ pluginId: 'todo' });
  const auditor = DefaultAuditorService.create({
    pluginId: 'todo',
    auth,
    httpAuth: new MockHttpAuthService({ auth }),
    sinks: [{ write: event => void events.push(event) }],
  });
  return { auditor, events };
}

/** A request as express hands it to a route, with the fields audits read. */
function fakeRequest(authorization?: string): Request {
  const headers: Record<string, string | undefined> = {
    authorization,
    'user-agent': 'curl/8.0',
  };
  return {
    headers,
    method: 'POST',
    originalUrl: '/api/todo/items?x=1',
    ip: '10.0.0.7',
    hostname: 'backstage.example.com',
    get: (name: string) => headers[name.toLowerCase()],
    header: (name: string) => headers[name.toLowerCase()],
    cookies: {},
  } as unknown as Request;
}
