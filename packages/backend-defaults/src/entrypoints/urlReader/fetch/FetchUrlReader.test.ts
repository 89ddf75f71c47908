import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject } from '@plinth/backend-plugin-api';
import { ConfigReader } from '../../../config';
import { FetchUrlReader } from './FetchUrlReader';
import { HostAllowList } from './HostAllowList';
import type { HostLookup } from './resolveAllowedAddress';

const lastModified = new Date('2024-05-01T12:00:00Z');
let server: http.Server;
let port: number;
let base: string;

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  switch (url.pathname) {
    case '/file.yaml':
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304).end();
        return;
      }
      if (
        req.headers['if-modified-since'] &&
        new Date(req.headers['if-modified-since']) >= lastModified
      ) {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, {
        etag: '"v1"',
        'last-modified': lastModified.toUTCString(),
      });
      res.end('kind: Component\n');
      return;
    case '/ignores-conditions':
      res.writeHead(200, {
        etag: '"v1"',
        'last-modified': lastModified.toUTCString(),
      });
      res.end('same');
      return;
    case '/no-etag':
      res.end('plain');
      return;
    case '/auth':
      res.end(req.headers.authorization ?? 'none');
      return;
    case '/host':
      res.end(req.headers.host);
      return;
    case '/missing':
      res.writeHead(404, 'Not Found').end();
      return;
    case '/gone':
      res.writeHead(410, 'Gone').end();
      return;
    case '/forbidden':
      res.writeHead(403, 'Forbidden').end();
      return;
    case '/broken':
      res.writeHead(500, 'Internal Server Error').end();
      return;
    case '/big-header':
      res.writeHead(200, { 'content-length': '64' });
      res.end('x'.repeat(64));
      return;
    case '/big-stream':
      res.writeHead(200);
      res.write('x'.repeat(10));
      res.write('x'.repeat(10));
      res.end('x'.repeat(10));
      return;
    case '/query':
      res.end(url.search);
      return;
    case '/cut-off':
      res.writeHead(200, { 'content-length': '100' });
      res.write('x'.repeat(10), () => res.destroy());
      return;
    case '/stalled-body':
      res.writeHead(200, { 'content-length': '100' });
      res.write('x'.repeat(10));
      return;
    case '/slow':
      // Never answers; the reader's timeout ends the request.
      return;
    default:
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

const noLookup: HostLookup = async hostname => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
  });
};

function createReader(
  options: {
    allow?: JsonObject[];
    maxSize?: number;
    timeoutMs?: number;
    lookup?: HostLookup;
  } = {},
): FetchUrlReader {
  const allow = options.allow ?? [{ host: '127.0.0.1:1024-65535' }];
  return new FetchUrlReader({
    allowList: HostAllowList.fromConfig(
      new ConfigReader({ backend: { reading: { allow } } }),
    ),
    lookup: options.lookup ?? noLookup,
    maxSize: options.maxSize ?? 1024,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
}

describe('FetchUrlReader', () => {
  it('reads a URL with its ETag and last modification time', async () => {
    const response = await createReader().readUrl(`${base}/file.yaml`);
    expect((await response.buffer()).toString()).toBe('kind: Component\n');
    expect(response.etag).toBe('"v1"');
    expect(response.lastModifiedAt).toEqual(lastModified);
  });

  it('streams the content it read', async () => {
    const response = await createReader().readUrl(`${base}/file.yaml`);
    const chunks: Buffer[] = [];
    for await (const chunk of response.stream!()) {
      chunks.push(chunk as Buffer);
    }
    expect(Buffer.concat(chunks).toString()).toBe('kind: Component\n');
  });

  it('gives content without a server ETag the SHA-256 of the content', async () => {
    const response = await createReader().readUrl(`${base}/no-etag`);
    expect(response.etag).toBe(
      createHash('sha256').update('plain').digest('hex'),
    );
    await expect(
      createReader().readUrl(`${base}/no-etag`, { etag: response.etag }),
    ).rejects.toThrow(
      `'${base}/no-etag' has not changed: its content still has ETag '${response.etag}'.`,
    );
  });

  it('sends the ETag as If-None-Match and turns 304 into NotModifiedError', async () => {
    await expect(
      createReader().readUrl(`${base}/file.yaml`, { etag: '"v1"' }),
    ).rejects.toMatchObject({
      name: 'NotModifiedError',
      message: `'${base}/file.yaml' has not changed: the server answered 304 Not Modified.`,
    });
  });

  it('sends lastModifiedAfter as If-Modified-Since', async () => {
    await expect(
      createReader().readUrl(`${base}/file.yaml`, {
        lastModifiedAfter: lastModified,
      }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    const response = await createReader().readUrl(`${base}/file.yaml`, {
      lastModifiedAfter: new Date('2024-04-01T00:00:00Z'),
    });
    expect(response.etag).toBe('"v1"');
  });

  it('reports an unchanged version when the server ignores conditions', async () => {
    const message = `'${base}/ignores-conditions' has not changed: the server reports the same version.`;
    await expect(
      createReader().readUrl(`${base}/ignores-conditions`, { etag: '"v1"' }),
    ).rejects.toMatchObject({ name: 'NotModifiedError', message });
    await expect(
      createReader().readUrl(`${base}/ignores-conditions`, {
        lastModifiedAfter: lastModified,
      }),
    ).rejects.toMatchObject({ name: 'NotModifiedError', message });
  });

  it.each([
    ['/missing', '404 Not Found'],
    ['/gone', '410 Gone'],
  ])('turns %s into NotFoundError', async (path, status) => {
    await expect(
      createReader().readUrl(`${base}${path}`),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: `Cannot read '${base}${path}': the server answered ${status}. Check that the URL exists.`,
    });
  });

  it('reports a client error status with a hint to check the URL', async () => {
    await expect(
      createReader().readUrl(`${base}/forbidden`),
    ).rejects.toMatchObject({
      name: 'UrlFetchError',
      statusCode: 403,
      message: `Cannot read '${base}/forbidden': the server answered 403 Forbidden. Check the URL, and that the server lets this backend read it.`,
    });
  });

  it('reports a server error status with a hint to try later', async () => {
    await expect(createReader().readUrl(`${base}/broken`)).rejects.toThrow(
      `Cannot read '${base}/broken': the server answered 500 Internal Server Error. The server failed; try again later.`,
    );
  });

  it('refuses content whose Content-Length exceeds the limit', async () => {
    await expect(
      createReader({ maxSize: 16 }).readUrl(`${base}/big-header`),
    ).rejects.toMatchObject({
      name: 'RuntimeServiceError',
      code: 'URL_READ_TOO_LARGE',
      message: `Cannot read '${base}/big-header': the server announces 64 bytes, more than the limit of 16 bytes. Raise 'backend.reading.maxSize' to read it.`,
    });
  });

  it('stops reading content that grows past the limit without a length', async () => {
    await expect(
      createReader({ maxSize: 16 }).readUrl(`${base}/big-stream`),
    ).rejects.toMatchObject({
      name: 'RuntimeServiceError',
      code: 'URL_READ_TOO_LARGE',
      message: `Cannot read '${base}/big-stream': the content exceeds the limit of 16 bytes. Raise 'backend.reading.maxSize' to read it.`,
    });
  });

  it('reads content of exactly the limit', async () => {
    const response = await createReader({ maxSize: 30 }).readUrl(
      `${base}/big-stream`,
    );
    expect((await response.buffer()).length).toBe(30);
  });

  it('refuses a host that no rule allows, naming the config key', async () => {
    await expect(
      createReader({ allow: [{ host: 'example.com' }] }).readUrl(
        `${base}/file.yaml`,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Reading '${base}/file.yaml' is not allowed: host '127.0.0.1' matches no rule in 'backend.reading.allow'. To allow it, add { host: '127.0.0.1:${port}' } to 'backend.reading.allow'.`,
    });
  });

  it('refuses a private address reached through a wildcard rule', async () => {
    const lookup: HostLookup = async () => [
      { address: '127.0.0.1', family: 4 },
    ];
    const reader = createReader({
      allow: [{ host: '*.example.test:1024-65535' }],
      lookup,
    });
    await expect(
      reader.readUrl(`http://internal.example.test:${port}/file.yaml`),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Reading 'http://internal.example.test:${port}/file.yaml' is not allowed: host 'internal.example.test' resolves to 127.0.0.1, a loopback address, and the rule that matches it, '*.example.test:1024-65535', is a wildcard; only a rule that names a host exactly may reach such addresses. To allow it, add { host: 'internal.example.test:${port}' } to 'backend.reading.allow'.`,
    });
  });

  it('refuses a name that resolves to a public and a private address through a wildcard rule', async () => {
    const lookup: HostLookup = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    const reader = createReader({
      allow: [{ host: '*.example.test' }],
      lookup,
    });
    await expect(
      reader.readUrl('https://mixed.example.test/file.yaml'),
    ).rejects.toThrow(
      "Reading 'https://mixed.example.test/file.yaml' is not allowed: host 'mixed.example.test' resolves to 10.0.0.7, a private address, and the rule that matches it, '*.example.test', is a wildcard; only a rule that names a host exactly may reach such addresses. To allow it, add { host: 'mixed.example.test' } to 'backend.reading.allow'.",
    );
  });

  it('refuses a NAT64 address of a private address reached through a wildcard rule', async () => {
    const reader = createReader({
      allow: [{ host: '*.example.test' }],
      lookup: async () => [{ address: '64:ff9b::a9fe:a9fe', family: 6 }],
    });
    await expect(
      reader.readUrl('https://metadata.example.test/latest'),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "Reading 'https://metadata.example.test/latest' is not allowed: host 'metadata.example.test' resolves to 64:ff9b::a9fe:a9fe, a NAT64 address of a link-local address, and the rule that matches it, '*.example.test', is a wildcard; only a rule that names a host exactly may reach such addresses. To allow it, add { host: 'metadata.example.test' } to 'backend.reading.allow'.",
    });
  });

  it('reads a private address through a rule that names the host exactly, connecting to the checked address', async () => {
    const lookup = jest.fn<ReturnType<HostLookup>, Parameters<HostLookup>>(
      async () => [{ address: '127.0.0.1', family: 4 }],
    );
    const reader = createReader({
      allow: [
        { host: '*.example.test:1024-65535' },
        { host: 'internal.example.test:1024-65535' },
      ],
      lookup,
    });
    const response = await reader.readUrl(
      `http://internal.example.test:${port}/host`,
    );
    expect((await response.buffer()).toString()).toBe(
      `internal.example.test:${port}`,
    );
    expect(lookup.mock.calls).toEqual([['internal.example.test']]);
  });

  it('reports a host name that does not resolve', async () => {
    const reader = createReader({ allow: [{ host: 'nowhere.test' }] });
    await expect(
      reader.readUrl('https://nowhere.test/file.yaml'),
    ).rejects.toMatchObject({
      name: 'UrlFetchError',
      message:
        "Cannot read 'https://nowhere.test/file.yaml': host 'nowhere.test' could not be resolved (ENOTFOUND). Check the host name and the DNS of this backend.",
    });
  });

  it('reports a host name without addresses', async () => {
    const reader = createReader({
      allow: [{ host: 'empty.test' }],
      lookup: async () => [],
    });
    await expect(reader.readUrl('https://empty.test/a')).rejects.toThrow(
      "Cannot read 'https://empty.test/a': host 'empty.test' could not be resolved (no addresses). Check the host name and the DNS of this backend.",
    );
  });

  it('reports a connection that fails', async () => {
    const closed = http.createServer();
    await new Promise<void>(resolve =>
      closed.listen(0, '127.0.0.1', () => resolve()),
    );
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    await expect(
      createReader().readUrl(`http://127.0.0.1:${closedPort}/a`),
    ).rejects.toMatchObject({
      name: 'UrlFetchError',
      message: `Cannot read 'http://127.0.0.1:${closedPort}/a': the request failed (ECONNREFUSED). Check that the server is reachable from this backend.`,
    });
  });

  it('reports a connection that breaks off during the body', async () => {
    await expect(
      createReader().readUrl(`${base}/cut-off`),
    ).rejects.toMatchObject({
      name: 'UrlFetchError',
      message: `Cannot read '${base}/cut-off': the request failed (ECONNRESET). Check that the server is reachable from this backend.`,
    });
  });

  it('gives up on a server that does not answer in time', async () => {
    await expect(
      createReader({ timeoutMs: 50 }).readUrl(`${base}/slow`),
    ).rejects.toMatchObject({
      name: 'UrlFetchError',
      message: `Cannot read '${base}/slow': no complete answer arrived within 50 ms. Check the server, or raise 'backend.reading.timeout'.`,
    });
  });

  it('gives up on a body that stops arriving', async () => {
    await expect(
      createReader({ timeoutMs: 50 }).readUrl(`${base}/stalled-body`),
    ).rejects.toThrow(
      `Cannot read '${base}/stalled-body': no complete answer arrived within 50 ms. Check the server, or raise 'backend.reading.timeout'.`,
    );
  });

  it("rejects with the caller's abort reason", async () => {
    const controller = new AbortController();
    const read = createReader().readUrl(`${base}/slow`, {
      signal: controller.signal,
    });
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(read).rejects.toBe(reason);
  });

  it('sends credentials in the URL as basic auth and leaves them out of errors', async () => {
    const response = await createReader().readUrl(
      `http://user:s3cret@127.0.0.1:${port}/auth`,
    );
    expect((await response.buffer()).toString()).toBe(
      `Basic ${Buffer.from('user:s3cret').toString('base64')}`,
    );
    await expect(
      createReader().readUrl(`http://user:s3cret@127.0.0.1:${port}/missing`),
    ).rejects.toThrow(
      `Cannot read '${base}/missing': the server answered 404 Not Found. Check that the URL exists.`,
    );
  });

  it('sends the query but masks its values and the fragment in errors', async () => {
    const response = await createReader().readUrl(
      `${base}/query?token=s3cret&raw`,
    );
    expect((await response.buffer()).toString()).toBe('?token=s3cret&raw');
    await expect(
      createReader().readUrl(`${base}/missing?token=s3cret&raw#k=s3cret`),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: `Cannot read '${base}/missing?token=***&raw#***': the server answered 404 Not Found. Check that the URL exists.`,
    });
    await expect(
      createReader().readUrl(`${base}/broken?X-Amz-Signature=s3cret`),
    ).rejects.toMatchObject({
      name: 'UrlFetchError',
      message: `Cannot read '${base}/broken?X-Amz-Signature=***': the server answered 500 Internal Server Error. The server failed; try again later.`,
    });
  });

  it('refuses to read a tree', async () => {
    await expect(
      createReader().readTree(`http://user:s3cret@127.0.0.1:${port}/dir`),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: `Cannot read the tree at '${base}/dir': readTree() is not supported for http(s) URLs. Read single files with readUrl(), or read the tree from a file: URL.`,
    });
  });

  it('refuses to search with glob patterns', async () => {
    await expect(
      createReader().search(`${base}/**/catalog-info.yaml`),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: `Cannot search '${base}/**/catalog-info.yaml': glob patterns are not supported for http(s) URLs. Search a file: URL, or give the URL of one file.`,
    });
  });

  it('searches a URL without patterns by reading that one file', async () => {
    const result = await createReader().search(`${base}/file.yaml`);
    expect(result.etag).toBe('"v1"');
    expect(result.files.map(file => file.url)).toEqual([`${base}/file.yaml`]);
    expect((await result.files[0].content()).toString()).toBe(
      'kind: Component\n',
    );
    expect(result.files[0].lastModifiedAt).toEqual(lastModified);
  });

  it('finds nothing when searching a missing URL', async () => {
    await expect(createReader().search(`${base}/missing`)).resolves.toEqual({
      files: [],
      etag: '',
    });
  });

  it('passes the search ETag on to the server', async () => {
    await expect(
      createReader().search(`${base}/file.yaml`, { etag: '"v1"' }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });
});
