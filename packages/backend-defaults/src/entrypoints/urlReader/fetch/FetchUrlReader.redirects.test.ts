import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { JsonObject } from '@plinth/backend-plugin-api';
import { ConfigReader } from '../../../config';
import { FetchUrlReader } from './FetchUrlReader';
import { HostAllowList } from './HostAllowList';
import type { HostLookup } from './resolveAllowedAddress';

let server: http.Server;
let port: number;
let base: string;

const redirects: Readonly<Record<string, () => string>> = {
  '/redirect': () => '/file.yaml',
  '/redirect-away': () => `http://evil.test:${port}/x`,
  '/redirect-away-signed': () =>
    `http://evil.test:${port}/x?X-Amz-Signature=abc123#part`,
  '/redirect-ftp': () => 'ftp://files.example.com/x',
  '/redirect-invalid': () => 'http://[bad/',
  '/redirect-encoded': () => '/docs/..%2fadmin',
  '/redirect-dots': () => '/docs/.%2e/admin',
  '/downgrade': () => `http://secure.test:${port}/file.yaml`,
  '/redirect-to-auth-elsewhere': () => `http://other.test:${port}/auth`,
};

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const hops = /^\/hops\/(\d+)$/.exec(pathname);
  if (hops) {
    const left = Number(hops[1]);
    const location = left > 0 ? `/hops/${left - 1}` : '/file.yaml';
    res.writeHead(302, { location }).end();
  } else if (redirects[pathname]) {
    res.writeHead(302, { location: redirects[pathname]() }).end();
  } else if (pathname === '/auth') {
    res.end(req.headers.authorization ?? 'none');
  } else if (pathname === '/file.yaml') {
    res.writeHead(200, { etag: '"v1"' }).end('kind: Component\n');
  } else {
    res.writeHead(500).end();
  }
}

beforeAll(async () => {
  server = http.createServer(handle);
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
});

afterEach(() => {
  jest.restoreAllMocks();
});

/**
 * Sends https: requests to the loopback server as plain http, standing in
 * for a TLS server whose certificate this backend would trust.
 */
function serveHttpsInTheClear(): void {
  jest
    .spyOn(https, 'request')
    .mockImplementation(((url: URL, options: http.RequestOptions, callback) =>
      http.request(
        new URL(url.href.replace(/^https:/, 'http:')),
        options,
        callback,
      )) as typeof https.request);
}

const noLookup: HostLookup = async hostname => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
  });
};

function createReader(
  options: { allow?: JsonObject[]; lookup?: HostLookup } = {},
): FetchUrlReader {
  const allow = options.allow ?? [{ host: '127.0.0.1:1024-65535' }];
  return new FetchUrlReader({
    allowList: HostAllowList.fromConfig(
      new ConfigReader({ backend: { reading: { allow } } }),
    ),
    lookup: options.lookup ?? noLookup,
    maxSize: 1024,
    timeoutMs: 10_000,
  });
}

describe('FetchUrlReader', () => {
  it('follows a redirect to an allowed URL', async () => {
    const response = await createReader().readUrl(`${base}/redirect`);
    expect((await response.buffer()).toString()).toBe('kind: Component\n');
  });

  it('follows five redirects', async () => {
    const response = await createReader().readUrl(`${base}/hops/4`);
    expect(response.etag).toBe('"v1"');
  });

  it('refuses a sixth redirect', async () => {
    await expect(
      createReader().readUrl(`${base}/hops/5`),
    ).rejects.toMatchObject({
      name: 'UrlFetchError',
      message: `Cannot read '${base}/hops/5': it redirects more than 5 times. Read the final URL directly.`,
    });
  });

  it('refuses a redirect to a host that no rule allows', async () => {
    await expect(
      createReader().readUrl(`${base}/redirect-away`),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Reading '${base}/redirect-away' is not allowed: it redirects to 'http://evil.test:${port}/x', and host 'evil.test' matches no rule in 'backend.reading.allow'. To allow it, add { host: 'evil.test:${port}' } to 'backend.reading.allow'.`,
    });
  });

  it('refuses a redirect to a scheme other than http(s)', async () => {
    await expect(
      createReader().readUrl(`${base}/redirect-ftp`),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Reading '${base}/redirect-ftp' is not allowed: it redirects to 'ftp://files.example.com/x', and scheme 'ftp:' is not http: or https:. Read the target URL itself instead.`,
    });
  });

  it('refuses a redirect from https: to http:', async () => {
    serveHttpsInTheClear();
    const reader = createReader({
      allow: [{ host: 'secure.test:1024-65535' }],
      lookup: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    await expect(
      reader.readUrl(`https://secure.test:${port}/downgrade`),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Reading 'https://secure.test:${port}/downgrade' is not allowed: it redirects to 'http://secure.test:${port}/file.yaml', and the redirect leaves https: for http:, which would carry the request and the answer unencrypted. Ask the server's owner to redirect to an https: URL, or read the http: URL directly if it may travel unencrypted.`,
    });
  });

  it('refuses a redirect to a path with an encoded separator when the rule limits paths', async () => {
    const reader = createReader({
      allow: [
        { host: '127.0.0.1:1024-65535', paths: ['/redirect-encoded', '/docs'] },
      ],
    });
    await expect(
      reader.readUrl(`${base}/redirect-encoded`),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Reading '${base}/redirect-encoded' is not allowed: it redirects to '${base}/docs/..%2fadmin', and path '/docs/..%2fadmin' has an encoded separator ('%2f'), and every rule for host '127.0.0.1' in 'backend.reading.allow' limits paths, which cannot be checked on such a path. Write the path with plain '/' separators and escapes that decode to UTF-8 text.`,
    });
  });

  it('refuses a redirect whose dot segments leave the allowed paths', async () => {
    const reader = createReader({
      allow: [
        { host: '127.0.0.1:1024-65535', paths: ['/redirect-dots', '/docs'] },
      ],
    });
    await expect(reader.readUrl(`${base}/redirect-dots`)).rejects.toThrow(
      `Reading '${base}/redirect-dots' is not allowed: it redirects to '${base}/admin', and path '/admin' is not below the paths allowed for host '127.0.0.1' in 'backend.reading.allow' ('/redirect-dots', '/docs'). To allow it, add a prefix of it to the paths of that rule in 'backend.reading.allow'.`,
    );
  });

  it('reports a redirect to an invalid URL', async () => {
    await expect(
      createReader().readUrl(`${base}/redirect-invalid`),
    ).rejects.toMatchObject({
      name: 'UrlFetchError',
      message: `Cannot read '${base}/redirect-invalid': the server redirects to 'http://[bad/', which is not a valid URL. Ask the server's owner to fix the redirect, or read the final URL directly.`,
    });
  });

  it('masks query values and the fragment of a refused redirect target', async () => {
    await expect(
      createReader().readUrl(`${base}/redirect-away-signed?sig=s3cret`),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Reading '${base}/redirect-away-signed?sig=***' is not allowed: it redirects to 'http://evil.test:${port}/x?X-Amz-Signature=***#***', and host 'evil.test' matches no rule in 'backend.reading.allow'. To allow it, add { host: 'evil.test:${port}' } to 'backend.reading.allow'.`,
    });
  });

  it('sends the headers of the rule that allows each hop, and not to a host it redirects to', async () => {
    const lookup: HostLookup = async () => [
      { address: '127.0.0.1', family: 4 },
    ];
    const reader = createReader({
      lookup,
      allow: [
        {
          host: `127.0.0.1:${port}`,
          headers: { Authorization: 'token for-the-code-host' },
        },
        { host: `other.test:${port}` },
      ],
    });
    const direct = await reader.readUrl(`${base}/auth`);
    expect((await direct.buffer()).toString()).toBe('token for-the-code-host');
    const redirected = await reader.readUrl(
      `${base}/redirect-to-auth-elsewhere`,
    );
    expect((await redirected.buffer()).toString()).toBe('none');
  });
});
