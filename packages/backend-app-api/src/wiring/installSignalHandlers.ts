import type { LoggerService } from '@plinth/backend-plugin-api';

interface RunningBackend {
  stop(): Promise<void>;
  /** The console until the backend has created its root logger. */
  currentLogger(): LoggerService;
}

const running = new Set<RunningBackend>();
let stopping = false;

/**
 * Stops every backend that has not stopped yet, whether idle, starting or
 * started, on SIGTERM or SIGINT, then exits with 0, or with 1 if a stop
 * failed. A second signal exits at once, for the operator who does not want
 * to wait for a hung shutdown hook.
 *
 * @returns a function that forgets the backend once it has stopped.
 */
export function installSignalHandlers(backend: RunningBackend): () => void {
  if (running.size === 0) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  running.add(backend);
  return () => {
    running.delete(backend);
    if (running.size === 0 && !stopping) {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
  };
}

function onSignal(signal: NodeJS.Signals) {
  const backends = [...running];
  if (stopping) {
    backends[0]
      ?.currentLogger()
      .warn(
        `Received ${signal} again; exiting without waiting for shutdown to finish.`,
      );
    process.exit(1);
  }
  stopping = true;
  for (const backend of backends) {
    backend.currentLogger().info(`Received ${signal}; stopping the backend.`);
  }
  const stops = backends.map(backend =>
    backend.stop().catch((error: Error) => {
      backend.currentLogger().error(error.message);
      throw error;
    }),
  );
  void Promise.allSettled(stops).then(results => {
    process.exit(results.some(r => r.status === 'rejected') ? 1 : 0);
  });
}
