/**
 * Drives the load generator process (`loadClientProcess.ts`) from the
 * harness: one round at a time, against whichever server the caller
 * names, so rounds against the catalog and against its ceiling can
 * alternate through the same client.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const entry = join(__dirname, 'loadClientProcess.ts');

/** One round of load, as the harness asks for it. */
export interface LoadRoundRequest {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Absolute paths with their query, sent in turn. */
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

/** What one round measured, as the client saw it. */
export interface LoadRound {
  /** Responses received per second of the round. */
  requestsPerSecond: number;
  total: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with a status other than 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Response bytes (headers and body) per request. */
  bytesPerRequest: number;
}

/** The load generator process. */
export interface LoadClient {
  run(request: LoadRoundRequest): Promise<LoadRound>;
  /** Ends the process; rounds still running reject. */
  stop(): void;
}

/**
 * Forks the load generator.
 * @throws Error from `run` when the process exits or autocannon fails.
 */
export function startLoadClient(): LoadClient {
  const child: ChildProcess = fork(entry, [], {
    execArgv: ['-r', 'sucrase/register/ts'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let queue = Promise.resolve<unknown>(undefined);
  const runOne = (request: LoadRoundRequest) =>
    new Promise<LoadRound>((done, fail) => {
      const onExit = (code: number | null) =>
        fail(
          new Error(
            `The load client exited with code ${code} during a round against '${request.origin}'.`,
          ),
        );
      child.once('exit', onExit);
      child.once('message', (reply: { round?: LoadRound; error?: string }) => {
        child.off('exit', onExit);
        if (reply.round) {
          done(reply.round);
        } else {
          fail(
            new Error(
              `The load client failed against '${request.origin}': ${reply.error}.`,
            ),
          );
        }
      });
      child.send(request);
    });
  return {
    run(request) {
      // One round at a time: concurrent rounds would share the client's
      // thread and measure each other.
      const result = queue.then(() => runOne(request));
      queue = result.catch(() => undefined);
      return result;
    },
    stop() {
      child.kill('SIGTERM');
    },
  };
}
