import { connect as connectTcp, type AddressInfo } from 'node:net';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type HttpRouterServiceWebSocketContext,
} from '@plinth/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { NotAllowedError } from '@plinth/errors';
import WebSocket, { WebSocketServer } from 'ws';

/**
 * Plugin 'chat': `/echo` needs credentials and greets with who connected,
 * then echoes; `/public` takes anyone.
 */
const chatPlugin = createBackendPlugin({
  pluginId: 'chat',
  register(env) {
    env.registerInit({
      deps: { http: coreServices.httpRouter },
      async init({ http }) {
        const wss = new WebSocketServer({
          noServer: true,
          // The client offered its token as a protocol: choose that one, as
          // browsers want one of theirs chosen.
          handleProtocols: protocols =>
            protocols.values().next().value ?? false,
        });
        const greet = (context: HttpRouterServiceWebSocketContext) =>
          wss.handleUpgrade(
            context.request,
            context.socket,
            context.head,
            ws => {
              ws.send(
                JSON.stringify({
                  principal: context.credentials.principal,
                  authProtocol: context.authProtocol ?? null,
                }),
              );
              ws.on('message', data =>
                ws.send(`echo: ${(data as Buffer).toString()}`),
              );
            },
          );
        http.addWebSocketHandler({ path: '/echo', handler: greet });
        http.addWebSocketHandler({
          path: '/public',
          authPolicy: 'unauthenticated',
          handler: greet,
        });
      },
    });
  },
});

async function startChat() {
  const backend = await startTestBackend({ features: [chatPlugin] });
  const { port } = backend.server.address() as AddressInfo;
  return { backend, port, url: `ws://127.0.0.1:${port}` };
}

/** Opens a WebSocket and resolves with it and its first message. */
function connect(
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> } = {},
): Promise<{ ws: WebSocket; greeting: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols, {
      headers: options.headers,
    });
    ws.once('message', data =>
      resolve({ ws, greeting: JSON.parse((data as Buffer).toString()) }),
    );
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise(resolve =>
    ws.once('message', data => resolve((data as Buffer).toString())),
  );
}

describe('DefaultHttpRouterService', () => {
  it('hands an authenticated upgrade to the plugin handler, which exchanges messages', async () => {
    const { url } = await startChat();
    const { ws, greeting } = await connect(`${url}/api/chat/echo`, {
      headers: { Authorization: mockCredentials.user.header() },
    });
    expect(greeting).toEqual({
      principal: { type: 'user', userEntityRef: 'user:default/mock' },
      authProtocol: null,
    });
    ws.send('hello');
    await expect(nextMessage(ws)).resolves.toBe('echo: hello');
    ws.close();
  });

  it('accepts the token as a Sec-WebSocket-Protocol value and says which one it was', async () => {
    const { url } = await startChat();
    const token = mockCredentials.service.token();
    const { ws, greeting } = await connect(`${url}/api/chat/echo`, {
      protocols: [token],
    });
    expect(greeting).toEqual({
      principal: { type: 'service', subject: 'external:test-service' },
      authProtocol: token,
    });
    expect(ws.protocol).toBe(token);
    ws.close();
  });

  it('answers an upgrade without a token to a protected path with 401 and closes the socket', async () => {
    const { port } = await startChat();
    const response = splitResponse(
      await rawUpgrade(port, '/api/chat/echo?token=secret'),
    );
    expect(response.head).toEqual([
      'HTTP/1.1 401 Unauthorized',
      'Connection: close',
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(response.body)}`,
    ]);
    expect(JSON.parse(response.body)).toEqual({
      error: {
        name: 'AuthenticationError',
        message:
          "WebSocket upgrade to '/api/chat/echo' refused: it carries no token. Send 'Authorization: Bearer <token>', or the token as a 'Sec-WebSocket-Protocol' value.",
      },
      request: { method: 'GET', url: '/api/chat/echo' },
      response: { statusCode: 401 },
    });
  });

  it('answers an upgrade with an invalid token with 401', async () => {
    const { port } = await startChat();
    const response = splitResponse(
      await rawUpgrade(port, '/api/chat/echo', {
        Authorization: mockCredentials.user.invalidHeader(),
      }),
    );
    expect(response.head[0]).toBe('HTTP/1.1 401 Unauthorized');
    expect(JSON.parse(response.body).error).toEqual({
      name: 'AuthenticationError',
      message:
        "WebSocket upgrade to '/api/chat/echo' refused: its token is not a valid user or service token. Send a fresh token.",
    });
  });

  it('answers an upgrade whose token the auth service refuses with 403', async () => {
    const refusingAuth = createServiceFactory({
      service: coreServices.auth,
      deps: {},
      factory: () => {
        const auth = mockServices.auth({ pluginId: 'chat' });
        auth.authenticate = async () => {
          throw new NotAllowedError(
            "Service 'external:ci' may not call plugin 'chat'.",
          );
        };
        return auth;
      },
    });
    const backend = await startTestBackend({
      features: [chatPlugin, refusingAuth],
    });
    const { port } = backend.server.address() as AddressInfo;
    const response = splitResponse(
      await rawUpgrade(port, '/api/chat/echo', {
        'Sec-WebSocket-Protocol': 'token-a, token-b',
      }),
    );
    expect(response.head[0]).toBe('HTTP/1.1 403 Forbidden');
    expect(JSON.parse(response.body).error).toEqual({
      name: 'NotAllowedError',
      message: "Service 'external:ci' may not call plugin 'chat'.",
    });
  });

  it('refuses an upgrade that offers more than 5 token candidates without trying them', async () => {
    const { port } = await startChat();
    const response = splitResponse(
      await rawUpgrade(port, '/api/chat/echo', {
        Authorization: mockCredentials.user.header(),
        'Sec-WebSocket-Protocol': 'a, b, c, d, e',
      }),
    );
    expect(response.head[0]).toBe('HTTP/1.1 401 Unauthorized');
    expect(JSON.parse(response.body).error.message).toBe(
      "WebSocket upgrade to '/api/chat/echo' refused: it offers 6 token candidates in 'Authorization' and 'Sec-WebSocket-Protocol'; send at most 5.",
    );
  });

  it('hands an upgrade to an unauthenticated path over without a token, with none credentials', async () => {
    const { url } = await startChat();
    const { ws, greeting } = await connect(`${url}/api/chat/public`);
    expect(greeting).toEqual({
      principal: { type: 'none' },
      authProtocol: null,
    });
    ws.close();
  });

  it('answers an upgrade to a path without a handler with 404', async () => {
    const { port } = await startChat();
    const response = splitResponse(
      await rawUpgrade(port, '/api/chat/echo/', {
        Authorization: mockCredentials.user.header(),
      }),
    );
    expect(response.head[0]).toBe('HTTP/1.1 404 Not Found');
    expect(JSON.parse(response.body)).toEqual({
      error: {
        name: 'NotFoundError',
        message: "No WebSocket handler is registered at '/api/chat/echo/'.",
      },
      request: { method: 'GET', url: '/api/chat/echo/' },
      response: { statusCode: 404 },
    });
  });

  it('rejects an invalid path, handler or auth policy, naming the plugin', async () => {
    const errors: unknown[] = [];
    const noop = () => {};
    const misusing = createBackendPlugin({
      pluginId: 'misuse',
      register(env) {
        env.registerInit({
          deps: { http: coreServices.httpRouter },
          async init({ http }) {
            for (const options of [
              { path: 'events', handler: noop },
              { path: '/events', handler: 'nope' },
              { path: '/events', handler: noop, authPolicy: 'user-cookie' },
            ]) {
              try {
                http.addWebSocketHandler(
                  options as Parameters<typeof http.addWebSocketHandler>[0],
                );
              } catch (error) {
                errors.push(error);
              }
            }
          },
        });
      },
    });
    await startTestBackend({ features: [misusing] });
    expect(errors).toEqual([
      expect.objectContaining({
        name: 'InputError',
        message:
          "addWebSocketHandler() of plugin 'misuse' got the path the string 'events'; a path starts with '/' and is relative to '/api/misuse', such as '/events'.",
      }),
      expect.objectContaining({
        name: 'InputError',
        message:
          "addWebSocketHandler() of plugin 'misuse' got handler the string 'nope' for path '/events'; pass a function that takes { request, socket, head, credentials }.",
      }),
      expect.objectContaining({
        name: 'InputError',
        message:
          "addWebSocketHandler() of plugin 'misuse' got authPolicy the string 'user-cookie' for path '/events'; use 'unauthenticated', or leave it out to require credentials.",
      }),
    ]);
  });

  it('closes open WebSockets when the backend stops', async () => {
    const { backend, url } = await startChat();
    const { ws } = await connect(`${url}/api/chat/echo`, {
      headers: { Authorization: mockCredentials.user.header() },
    });
    const closed = new Promise(resolve => ws.once('close', resolve));
    await backend.stop();
    await closed;
    expect(ws.readyState).toBe(WebSocket.CLOSED);
  });

  it('serves upgrades without a token when the default auth policy is disabled', async () => {
    const backend = await startTestBackend({
      features: [
        chatPlugin,
        mockServices.rootConfig.factory({
          data: {
            backend: { auth: { dangerouslyDisableDefaultAuthPolicy: true } },
          },
        }),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    const { ws, greeting } = await connect(
      `ws://127.0.0.1:${port}/api/chat/echo`,
    );
    expect(greeting).toEqual({
      principal: { type: 'none' },
      authProtocol: null,
    });
    ws.close();
  });
});

/**
 * Sends a WebSocket upgrade over a bare TCP connection and resolves with
 * everything the server wrote once it closed the connection.
 */
function rawUpgrade(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () => {
      const lines = [
        `GET ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
}

function splitResponse(raw: string): { head: string[]; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  return {
    head: raw.slice(0, end).split('\r\n'),
    body: raw.slice(end + 4),
  };
}
