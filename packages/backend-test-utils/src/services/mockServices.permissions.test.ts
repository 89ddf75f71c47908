import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import {
  AuthorizeResult,
  createPermission,
} from '@plinth/plugin-permission-common';
import request from 'supertest';
import { startTestBackend } from '../startTestBackend';
import { mockCredentials } from './mockCredentials';
import { MockAuditorService } from './MockAuditorService';
import { mockServices } from './mockServices';

const itemDelete = createPermission({
  name: 'todo.item.delete',
  attributes: { action: 'delete' },
});

/** Deletes after asking permission, and audits the attempt. */
const todoPlugin = createBackendPlugin({
  pluginId: 'todo',
  register(env) {
    env.registerInit({
      deps: {
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
      },
      async init({ auditor, permissions, httpAuth, httpRouter }) {
        httpRouter.use(async (req, res) => {
          const event = await auditor.createEvent({
            eventId: 'item-delete',
            severityLevel: 'medium',
            request: req,
          });
          const [{ result }] = await permissions.authorize(
            [{ permission: itemDelete }],
            { credentials: await httpAuth.credentials(req) },
          );
          if (result === AuthorizeResult.DENY) {
            await event.fail({ error: new Error('Not allowed') });
            res.status(403).end();
            return;
          }
          await event.success();
          res.status(204).end();
        });
      },
    });
  },
});

describe('mockServices.auditor', () => {
  it('records the events of every plugin in the auditor passed in', async () => {
    const auditor = MockAuditorService.create();
    const { server } = await startTestBackend({
      features: [todoPlugin, mockServices.auditor.factory({ auditor })],
    });
    await request(server)
      .delete('/api/todo/items/1')
      .set('Authorization', mockCredentials.user.header('user:default/jane'))
      .expect(204);
    expect(
      auditor.events.map(e => [e.plugin, e.eventId, e.status, e.actor.actorId]),
    ).toEqual([
      ['todo', 'item-delete', 'initiated', 'user:default/jane'],
      ['todo', 'item-delete', 'succeeded', 'user:default/jane'],
    ]);
  });
});

describe('mockServices.permissions', () => {
  it('allows by default and denies when asked to', async () => {
    const allowed = await startTestBackend({ features: [todoPlugin] });
    await request(allowed.server).delete('/api/todo/items/1').expect(204);

    const auditor = MockAuditorService.create();
    const denied = await startTestBackend({
      features: [
        todoPlugin,
        mockServices.auditor.factory({ auditor }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    await request(denied.server).delete('/api/todo/items/1').expect(403);
    expect(auditor.events[1]).toMatchObject({
      status: 'failed',
      error: { name: 'Error', message: 'Not allowed' },
    });
  });

  it('remembers what it was asked', async () => {
    const permissions = mockServices.permissions();
    await permissions.authorize([{ permission: itemDelete }], {
      credentials: mockCredentials.user(),
    });
    expect(permissions.requests).toEqual([{ permission: itemDelete }]);
  });
});
