import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** A request the fixture server received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local HTTP server standing in for a code host or a proxied service. */
export interface FixtureServer {
  /** Such as `http://127.0.0.1:38211`. */
  origin: string;
  /** Every request so far, in order. */
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Serves the files below `fixtures/` by path (`/catalog/x.yaml` is
 * `fixtures/catalog/x.yaml`), with the request echoed as JSON under
 * `/echo/`, so tests see exactly what reached the server.
 */
export async function startFixtureServer(): Promise<FixtureServer> {
  const root = path.join(__dirname, 'fixtures');
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      const { pathname } = new URL(received.url, 'http://fixture');
      if (pathname.startsWith('/echo/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(received));
        return;
      }
      const file = path.join(root, path.normalize(pathname));
      if (!file.startsWith(root + path.sep) || !fs.existsSync(file)) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end(`No fixture at ${pathname}`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(fs.readFileSync(file));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(error => (error ? reject(error) : resolve()));
        // Proxies and readers keep connections alive; close would wait.
        server.closeAllConnections();
      }),
  };
}

/** A port that was free a moment ago, for servers that need one up front. */
export async function findFreePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}
