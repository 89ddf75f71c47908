/**
 * The load generator of `yarn bench:catalog`, forked by `loadClient.ts`:
 * it runs autocannon in a process of its own, as an external client does,
 * so that neither the harness's work nor its garbage collection shares a
 * thread with the requests. Each IPC message is one round; the reply is
 * its figures.
 */
import autocannon from 'autocannon';
import type { LoadRound, LoadRoundRequest } from './loadClient';

process.on('message', (message: LoadRoundRequest) => {
  runRound(message).then(
    round => process.send?.({ round }),
    (error: unknown) =>
      process.send?.({
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});

async function runRound(request: LoadRoundRequest): Promise<LoadRound> {
  let next = 0;
  // No Accept-Encoding: autocannon sends only the headers given, so the
  // answers are the uncompressed bytes a plain client receives.
  const result = await autocannon({
    url: request.origin,
    connections: request.connections,
    duration: request.durationSeconds,
    headers: request.headers,
    requests: [
      {
        method: 'GET',
        setupRequest: req => {
          const path = request.paths[next % request.paths.length];
          next += 1;
          return { ...req, path };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.total / result.duration,
    total: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bytesPerRequest:
      result.throughput.total / Math.max(1, result.requests.total),
  };
}
