/**
 * The ceiling each catalog route is measured against: captures what the
 * catalog answers to every path the load test sends, then serves exactly
 * those bytes from a bare express app (`plainExpressCeilingServer.ts`)
 * in a process of its own, so that the ratio between the two shows what
 * the catalog's work costs beyond sending its answer over HTTP.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { readProcessCpuMs } from './startCatalogBackend';

const entry = join(__dirname, 'plainExpressCeilingServer.ts');
/** Requests in flight while capturing; as many as the load test's. */
const captureConcurrency = 10;

/** What the catalog answered to each URL of one route. */
export interface CapturedRoute {
  /** The express path pattern, such as `/api/catalog/entities/by-name/:kind/:namespace/:name`. */
  pattern: string;
  /** By absolute URL path with its query. */
  responses: Record<
    string,
    { status: number; contentType: string; body: string }
  >;
}

/** A running ceiling server. */
export interface PlainExpressCeiling {
  origin: string;
  /** CPU time the server has used so far, in ms. */
  readCpuMs(): number;
  stop(): void;
}

/**
 * Requests every path once, without `Accept-Encoding`, and keeps the
 * status, type and body of each answer.
 * @throws Error naming the URL when the catalog does not answer it.
 */
export async function captureResponses(options: {
  origin: string;
  token: string;
  pattern: string;
  paths: string[];
}): Promise<CapturedRoute> {
  const agent = new Agent({ keepAlive: true, maxSockets: captureConcurrency });
  const responses: CapturedRoute['responses'] = {};
  const pending = [...new Set(options.paths)];
  const worker = async () => {
    for (let path = pending.pop(); path; path = pending.pop()) {
      responses[path] = await get(options.origin, path, options.token, agent);
    }
  };
  try {
    await Promise.all(Array.from({ length: captureConcurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { pattern: options.pattern, responses };
}

/**
 * Writes the captured routes to `file` and forks the server on them;
 * resolves once it listens.
 * @throws Error when the server exits before it listens.
 */
export function startPlainExpressCeiling(
  routes: CapturedRoute[],
  file: string,
): Promise<PlainExpressCeiling> {
  writeFileSync(file, JSON.stringify(routes));
  const child = fork(entry, [file], {
    execArgv: ['-r', 'sucrase/register/ts'],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((done, fail) => {
    child.once('exit', code =>
      fail(
        new Error(
          `The plain express ceiling server exited with code ${code} before it listened.`,
        ),
      ),
    );
    child.once('message', (message: { port: number }) => {
      child.removeAllListeners('exit');
      done({
        origin: `http://127.0.0.1:${message.port}`,
        readCpuMs: () => readProcessCpuMs(child.pid),
        stop: () => child.kill('SIGTERM'),
      });
    });
  });
}

function get(
  origin: string,
  path: string,
  token: string,
  agent: Agent,
): Promise<CapturedRoute['responses'][string]> {
  return new Promise((done, fail) => {
    const req = request(
      `${origin}${path}`,
      { agent, headers: { authorization: `Bearer ${token}` } },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('base64'),
          }),
        );
        res.on('error', fail);
      },
    );
    req.on('error', error =>
      fail(
        new Error(`Could not capture '${origin}${path}'.`, { cause: error }),
      ),
    );
    req.end();
  });
}
