/**
 * The steady read load through the load balancer that runs for the whole
 * test: catalog pages by query and entities by name, each request
 * recorded with its time, status and latency, so that the report can cut
 * the record into fault windows.
 */
import { Agent, get } from 'node:http';

/** One request of the load. */
export interface Sample {
  /** When it was sent, `Date.now()`. */
  at: number;
  /** The HTTP status, or 0 when no response came (connection error). */
  status: number;
  ms: number;
  path: string;
}

/** A running load; `stop` resolves with everything it recorded. */
export interface ReadLoad {
  samples: Sample[];
  stop(): Promise<Sample[]>;
}

/** Concurrent clients, each sending its next request when one ends. */
const clients = 3;
/** The pause between one client's requests; ~40-60 requests/s in all. */
const pauseMs = 40;

/**
 * Starts the load against `origin` with `token`. `names` are component
 * names to read by name; they must exist in every state of the test.
 */
export function startReadLoad(
  origin: string,
  token: string,
  names: string[],
): ReadLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const samples: Sample[] = [];
  let running = true;
  let counter = 0;
  const paths = () => {
    counter += 1;
    switch (counter % 4) {
      case 0:
        return '/api/catalog/entities/by-query?filter=kind=component&limit=50&orderField=metadata.name,asc';
      case 1:
        return `/api/catalog/entities/by-name/component/default/${names[counter % names.length]}`;
      case 2:
        return '/api/catalog/entities/by-query?filter=kind=group&limit=20&fields=metadata.name,relations';
      default:
        return `/api/catalog/entities/by-query?filter=kind=api,spec.lifecycle=production&limit=25`;
    }
  };
  const loop = async () => {
    while (running) {
      const path = paths();
      const at = Date.now();
      const started = performance.now();
      const status = await send(`${origin}${path}`, agent, token);
      samples.push({ at, status, ms: performance.now() - started, path });
      await new Promise(done => setTimeout(done, pauseMs));
    }
  };
  const loops = Array.from({ length: clients }, () => loop());
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return samples;
    },
  };
}

/** One GET; resolves with its status, or 0 when no response came in 30 s. */
function send(url: string, agent: Agent, token: string): Promise<number> {
  return new Promise(done => {
    const req = get(
      url,
      { agent, headers: { authorization: `Bearer ${token}` }, timeout: 30_000 },
      res => {
        res.resume();
        res.once('end', () => done(res.statusCode ?? 0));
        res.once('error', () => done(0));
      },
    );
    req.once('timeout', () => req.destroy(new Error('timed out')));
    req.once('error', () => done(0));
  });
}
