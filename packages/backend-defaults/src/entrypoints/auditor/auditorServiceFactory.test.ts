import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type LoggerService,
} from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { NotFoundError } from '@plinth/errors';
import request from 'supertest';
import {
  auditorSinkServiceRef,
  LoggerAuditorSink,
  loggerAuditorSinkFactory,
  type AuditorEvent,
} from './AuditorSink';
import { auditorServiceFactory } from './auditorServiceFactory';

/** A plugin whose routes record audit events as Backstage's catalog does. */
const todoPlugin = createBackendPlugin({
  pluginId: 'todo',
  register(env) {
    env.registerInit({
      deps: {
        auditor: coreServices.auditor,
        httpRouter: coreServices.httpRouter,
      },
      async init({ auditor, httpRouter }) {
        httpRouter.use(async (req, res) => {
          const event = await auditor.createEvent({
            eventId: 'item-fetch',
            severityLevel: req.method === 'GET' ? 'low' : 'medium',
            request: req,
            meta: { queryType: 'by-id' },
          });
          if (req.path === '/items/1') {
            await event.success({ meta: { id: '1' } });
            res.json({ id: '1' });
            return;
          }
          const error = new NotFoundError(`No item at '${req.path}'`);
          await event.fail({ error });
          throw error;
        });
      },
    });
  },
});

describe('auditorServiceFactory', () => {
  it('writes audit events through the root logger at the level of their severity', async () => {
    const logger = MockLoggerService.create();
    const { server } = await startTestBackend({
      features: [
        todoPlugin,
        auditorServiceFactory,
        mockServices.rootLogger.factory({ logger }),
      ],
    });
    await request(server)
      .get('/api/todo/items/1')
      .set('Authorization', mockCredentials.user.header('user:default/jane'))
      .set('User-Agent', 'audit-test')
      .expect(200);
    await request(server).delete('/api/todo/items/2').expect(404);

    const audits = logger.lines.filter(l => l.fields.isAuditEvent === true);
    expect(audits.map(l => [l.level, l.message])).toEqual([
      ['debug', 'todo.item-fetch'],
      ['debug', 'todo.item-fetch'],
      ['info', 'todo.item-fetch'],
      ['info', 'todo.item-fetch'],
    ]);
    expect(audits[1].meta).toEqual({
      plugin: 'todo',
      eventId: 'item-fetch',
      severityLevel: 'low',
      actor: {
        actorId: 'user:default/jane',
        ip: expect.any(String),
        hostname: '127.0.0.1',
        userAgent: 'audit-test',
      },
      request: { url: '/api/todo/items/1', method: 'GET' },
      meta: { queryType: 'by-id', id: '1' },
      status: 'succeeded',
    });
    expect(audits[3].meta).toMatchObject({
      severityLevel: 'medium',
      actor: { actorId: 'user:default/mock' },
      request: { url: '/api/todo/items/2', method: 'DELETE' },
      status: 'failed',
      error: { name: 'NotFoundError', message: "No item at '/items/2'" },
    });
  });

  it('writes at the levels of backend.auditor.severityLogLevelMappings', async () => {
    const logger = MockLoggerService.create();
    const { server } = await startTestBackend({
      features: [
        todoPlugin,
        auditorServiceFactory,
        mockServices.rootLogger.factory({ logger }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              auditor: {
                severityLogLevelMappings: { low: 'info', medium: 'warn' },
              },
            },
          },
        }),
      ],
    });
    await request(server).get('/api/todo/items/1').expect(200);
    await request(server).post('/api/todo/items/1').expect(200);
    const audits = logger.lines.filter(l => l.fields.isAuditEvent === true);
    expect(audits.map(l => l.level)).toEqual(['info', 'info', 'warn', 'warn']);
  });

  it('refuses a severity mapping that is not a log level', async () => {
    await expect(
      startTestBackend({
        features: [
          todoPlugin,
          auditorServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                auditor: { severityLogLevelMappings: { high: 'loud' } },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      `Invalid config at 'backend.auditor.severityLogLevelMappings.high' (mock-config): expected one of 'debug', 'info', 'warn' or 'error', got "loud".`,
    );
  });

  it('writes to the sinks a backend adds, and to the log only when it keeps the logger sink', async () => {
    const logger = MockLoggerService.create();
    const stored: AuditorEvent[] = [];
    const storeSink = createServiceFactory({
      service: auditorSinkServiceRef,
      deps: {},
      factory: () => ({
        write: (event: AuditorEvent) => void stored.push(event),
      }),
    });
    const { server } = await startTestBackend({
      features: [
        todoPlugin,
        auditorServiceFactory,
        mockServices.rootLogger.factory({ logger }),
        storeSink,
      ],
    });
    await request(server).get('/api/todo/items/1').expect(200);
    expect(stored.map(e => `${e.plugin}.${e.eventId}:${e.status}`)).toEqual([
      'todo.item-fetch:initiated',
      'todo.item-fetch:succeeded',
    ]);
    expect(logger.lines.filter(l => l.fields.isAuditEvent)).toEqual([]);

    const both = MockLoggerService.create();
    const second = await startTestBackend({
      features: [
        todoPlugin,
        auditorServiceFactory,
        mockServices.rootLogger.factory({ logger: both }),
        storeSink,
        loggerAuditorSinkFactory,
      ],
    });
    await request(second.server).get('/api/todo/items/1').expect(200);
    expect(both.lines.filter(l => l.fields.isAuditEvent)).toHaveLength(2);
    expect(stored).toHaveLength(4);
  });
});

describe('LoggerAuditorSink', () => {
  it('accepts the severities whose mapped level the logger writes', () => {
    const enabled = new Set(['info', 'warn', 'error']);
    const logger: LoggerService = {
      error: () => undefined,
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      child: () => logger,
      isLevelEnabled: level => enabled.has(level),
    };
    const sink = LoggerAuditorSink.create({
      logger,
      levels: { low: 'debug', medium: 'info', high: 'warn', critical: 'error' },
    });
    expect(
      (['low', 'medium', 'high', 'critical'] as const).map(severity =>
        sink.accepts(severity),
      ),
    ).toEqual([false, true, true, true]);
  });

  it('accepts every severity when the logger cannot tell its level', () => {
    const sink = LoggerAuditorSink.create({
      logger: MockLoggerService.create(),
    });
    expect(sink.accepts('low')).toBe(true);
  });
});
