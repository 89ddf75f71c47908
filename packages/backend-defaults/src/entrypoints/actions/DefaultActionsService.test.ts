import type { DiscoveryService } from '@plinth/backend-plugin-api';
import {
  mockCredentials,
  MockAuthService,
  MockLoggerService,
} from '@plinth/backend-test-utils';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigReader } from '../../config';
import { DefaultActionsService } from './DefaultActionsService';

/** A server on a free loopback port that answers every request with `body`. */
async function startServer(body: string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closedPortUrl(): Promise<string> {
  const server = await startServer('');
  const url = urlOf(server);
  await new Promise(resolve => server.close(resolve));
  return url;
}

function createService(
  baseUrls: Record<string, string>,
  pluginSources: string[] | undefined = Object.keys(baseUrls),
) {
  const logger = MockLoggerService.create();
  const discovery: DiscoveryService = {
    getBaseUrl: async pluginId => `${baseUrls[pluginId]}/api/${pluginId}`,
    getExternalBaseUrl: async pluginId =>
      `${baseUrls[pluginId]}/api/${pluginId}`,
  };
  const service = DefaultActionsService.create({
    discovery,
    auth: new MockAuthService({ pluginId: 'caller' }),
    logger,
    config: new ConfigReader(
      pluginSources ? { backend: { actions: { pluginSources } } } : {},
      'test',
    ),
  });
  return { service, logger };
}

const credentials = mockCredentials.user();

describe('DefaultActionsService', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(
      servers.map(s => new Promise(resolve => s.close(resolve))),
    );
  });

  it('answers 503 naming the plugin when it cannot be reached', async () => {
    const url = await closedPortUrl();
    const { service } = createService({ down: url });
    await expect(
      service.invoke({ id: 'down:x', input: {}, credentials }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'ServiceUnavailableError',
        message: `Cannot invoke action 'down:x': plugin 'down' at '${url}/api/down' is unreachable (ECONNREFUSED). Check that it runs and that discovery points at it.`,
      }),
    );
  });

  it('refuses an answer that is not JSON', async () => {
    const server = await startServer('not json');
    servers.push(server);
    const { service } = createService({ odd: urlOf(server) });
    await expect(
      service.invoke({ id: 'odd:x', input: {}, credentials }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'ACTIONS_RESPONSE_INVALID',
        message:
          "Cannot invoke action 'odd:x': plugin 'odd' answered 200 with a body that is not JSON. Check that the plugin serves the actions protocol of this backend.",
      }),
    );
  });

  it('refuses an invoke answer without an output', async () => {
    const server = await startServer('{"result":1}');
    servers.push(server);
    const { service } = createService({ odd: urlOf(server) });
    await expect(
      service.invoke({ id: 'odd:x', input: {}, credentials }),
    ).rejects.toThrow(
      "Cannot invoke action 'odd:x': plugin 'odd' answered without an 'output'. Check that the plugin serves the actions protocol of this backend.",
    );
  });

  it('lists the actions of the plugins that answer and logs the others', async () => {
    const good = await startServer(
      JSON.stringify({
        actions: [
          {
            id: 'good:a',
            pluginId: 'good',
            name: 'a',
            title: 'A',
            description: 'A.',
            schema: { input: {}, output: {} },
            attributes: {
              readOnly: true,
              destructive: false,
              idempotent: true,
            },
          },
        ],
      }),
    );
    const odd = await startServer('{"items":[]}');
    servers.push(good, odd);
    const { service, logger } = createService({
      good: urlOf(good),
      odd: urlOf(odd),
      down: await closedPortUrl(),
    });
    const { actions } = await service.list({ credentials });
    expect(actions.map(a => a.id)).toEqual(['good:a']);
    // The plugins are asked at once, so their warnings come in any order.
    expect([...logger.messages('warn')].sort()).toEqual([
      "Cannot list the actions of plugin 'down'; its actions are left out",
      "Cannot list the actions of plugin 'odd'; its actions are left out",
    ]);
  });

  it('lists nothing but invokes by id when no plugin source is configured', async () => {
    const server = await startServer('{"output":{"ok":true}}');
    servers.push(server);
    const { service } = createService({ shop: urlOf(server) }, undefined);
    await expect(service.list({ credentials })).resolves.toEqual({
      actions: [],
    });
    await expect(
      service.invoke({ id: 'shop:x', input: {}, credentials }),
    ).resolves.toEqual({ output: { ok: true } });
  });
});
