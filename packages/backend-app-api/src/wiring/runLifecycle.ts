import {
  coreServices,
  type LoggerService,
  type ServiceRef,
} from '@plinth/backend-plugin-api';
import { toError } from '@plinth/errors';
import { LifecycleError } from '../errors';
import type { BootFailurePolicy } from './initPlugins';
import type { LifecycleHookRunner } from './LifecycleHooks';
import type { ServiceRegistry } from './ServiceRegistry';

/**
 * Runs the startup hooks of every started plugin concurrently, then the
 * root startup hooks, naming the hooks still running at each progress
 * interval. A plugin whose boot failure policy is `continue` only has its
 * hook failures logged.
 *
 * @returns the failures that must abort the start.
 */
export async function runStartupHooks(options: {
  registry: ServiceRegistry;
  pluginIds: readonly string[];
  policy: BootFailurePolicy;
  logger: LoggerService;
  progressIntervalMs: number;
}): Promise<Error[]> {
  const { registry, policy, logger } = options;
  const runPhase = async (owners: ReadonlyArray<{ pluginId?: string }>) => {
    const withRunners = await Promise.all(
      owners.map(async owner => ({
        ...owner,
        runner: await findLifecycleRunner(registry, owner.pluginId),
      })),
    );
    return runWithProgress({
      items: withRunners,
      run: owner => runLifecyclePhase(owner.runner, 'startup', owner.pluginId),
      describe: (seconds, pending) =>
        `Still running startup hooks after ${seconds}s: ${pending.flatMap(describePending).join(', ')}. A hook that stays in this list never settles its promise.`,
      logger,
      intervalMs: options.progressIntervalMs,
    });
  };

  const pluginResults = await runPhase(
    options.pluginIds.map(pluginId => ({ pluginId })),
  );
  const pluginFailures = pluginResults.flatMap((errors, i) => {
    const pluginId = options.pluginIds[i];
    if (errors.length > 0 && policy.forPlugin(pluginId) === 'continue') {
      logger.error(
        `Startup hooks of plugin '${pluginId}' failed; the backend starts anyway because its boot failure policy is 'continue'.`,
      );
      return [];
    }
    return errors;
  });
  const [rootFailures] = await runPhase([{}]);
  return [...pluginFailures, ...rootFailures];
}

/**
 * Stops a backend: the root before-shutdown hooks (stop taking traffic),
 * then every plugin's shutdown hooks concurrently, then the root shutdown
 * hooks (close shared resources such as pools). Every hook runs whatever
 * the others do. Past the deadline it stops waiting and reports the hooks
 * still running; they go on in the background.
 *
 * @returns every failure.
 */
export async function shutdownBackend(
  registry: ServiceRegistry,
  pluginIds: readonly string[],
  timeoutMs: number,
): Promise<Error[]> {
  const root = await findLifecycleRunner(registry);
  const plugins = await Promise.all(
    pluginIds.map(async pluginId => ({
      pluginId,
      runner: await findLifecycleRunner(registry, pluginId),
    })),
  );
  const phases = async () => {
    const failures = [...(await runLifecyclePhase(root, 'beforeShutdown'))];
    const pluginFailures = await Promise.all(
      plugins.map(p => runLifecyclePhase(p.runner, 'shutdown', p.pluginId)),
    );
    failures.push(...pluginFailures.flat());
    failures.push(...(await runLifecyclePhase(root, 'shutdown')));
    return failures;
  };

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Error[]>(resolve => {
    timer = setTimeout(() => {
      const pending = [root, ...plugins.map(p => p.runner)].flatMap(
        runner => runner?.pendingHooks?.() ?? [],
      );
      resolve([
        new LifecycleError(
          'SHUTDOWN_HOOKS_STILL_RUNNING',
          `The backend did not finish stopping within ${timeoutMs / 1000}s; still running: ${pending.join(', ') || 'no hook it can name'}. Make those hooks settle, or raise shutdownTimeoutMs.`,
        ),
      ]);
    }, timeoutMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([phases(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

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

/**
 * Runs one task per item concurrently and, at a fixed interval, logs what
 * is still running, so that a step that hangs is named instead of the
 * backend just going quiet. `describe` renders the warning for the items
 * still pending, and may name more than the item itself, such as the hooks
 * a plugin is running.
 *
 * When a task fails, it still waits for the others to settle before it
 * rejects with the first failure, so that whatever they create (a server,
 * a pool) exists by the time the backend shuts down, and is closed then.
 */
export async function runWithProgress<T, R>(options: {
  items: readonly T[];
  run(item: T): Promise<R>;
  describe(seconds: number, pending: readonly T[]): string;
  logger: LoggerService;
  intervalMs: number;
}): Promise<R[]> {
  const { items, logger } = options;
  const pending = new Set(items);
  const startedAt = Date.now();
  const timer = setInterval(() => {
    if (pending.size > 0) {
      const seconds = Math.round((Date.now() - startedAt) / 1000);
      logger.warn(options.describe(seconds, [...pending]));
    }
  }, options.intervalMs);
  timer.unref?.();
  try {
    const settled = await Promise.allSettled(
      items.map(async item => {
        try {
          return await options.run(item);
        } finally {
          pending.delete(item);
        }
      }),
    );
    const failed = settled.find(r => r.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
    return settled.map(r => (r as PromiseFulfilledResult<R>).value);
  } finally {
    clearInterval(timer);
  }
}

type Phase = 'startup' | 'beforeShutdown' | 'shutdown';

/**
 * Runs one lifecycle phase of a runner.
 *
 * @returns the failures; never rejects.
 */
async function runLifecyclePhase(
  runner: Partial<LifecycleHookRunner> | undefined,
  phase: Phase,
  pluginId?: string,
): Promise<readonly Error[]> {
  if (!runner) {
    return [];
  }
  const run = runner[phase];
  if (typeof run !== 'function') {
    if (phase === 'beforeShutdown') {
      return [];
    }
    const ref = pluginId ? coreServices.lifecycle : coreServices.rootLifecycle;
    return [
      new LifecycleError(
        'LIFECYCLE_WITHOUT_RUNNER',
        `Service '${ref.id}'${pluginId ? ` for plugin '${pluginId}'` : ''} has no ${phase}() method, so the backend cannot run its hooks; build the implementation on LifecycleHooks from '@plinth/backend-app-api'.`,
      ),
    ];
  }
  try {
    return await run.call(runner);
  } catch (error) {
    return [toError(error)];
  }
}

/**
 * The lifecycle service of the root (no `pluginId`) or of a plugin, if
 * anything created one; the backend drives its hooks through the
 * {@link LifecycleHookRunner} methods of that instance.
 */
async function findLifecycleRunner(
  registry: ServiceRegistry,
  pluginId?: string,
): Promise<Partial<LifecycleHookRunner> | undefined> {
  const ref: ServiceRef<unknown> = pluginId
    ? coreServices.lifecycle
    : coreServices.rootLifecycle;
  try {
    return (await registry.getIfCreated(ref, pluginId)) as
      Partial<LifecycleHookRunner> | undefined;
  } catch {
    // Its factory failed; that failure was reported where it happened.
    return undefined;
  }
}

/** The hooks an owner is still running, or the owner when it cannot say. */
function describePending(owner: {
  pluginId?: string;
  runner?: Partial<LifecycleHookRunner>;
}): string[] {
  const hooks = owner.runner?.pendingHooks?.() ?? [];
  if (hooks.length > 0) {
    return hooks;
  }
  return [owner.pluginId ? `plugin '${owner.pluginId}'` : 'the root'];
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
