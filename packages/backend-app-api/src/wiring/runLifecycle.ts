import {
  coreServices,
  type LoggerService,
  type ServiceRef,
} from '@plinth/backend-plugin-api';
import { describeValue, toError } from '@plinth/errors';
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
  const runPhase = async (pluginIds: ReadonlyArray<string | undefined>) => {
    const owners = await Promise.all(
      pluginIds.map(pluginId => findLifecycleOwner(registry, pluginId)),
    );
    return runWithProgress({
      items: owners,
      run: owner => runLifecyclePhase(owner, 'startup'),
      describe: (seconds, pending) =>
        `Still running startup hooks after ${seconds}s: ${pending.flatMap(describePending).join(', ')}. A hook that stays in this list never settles its promise.`,
      logger,
      intervalMs: options.progressIntervalMs,
    });
  };

  const pluginResults = await runPhase(options.pluginIds);
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
  const [rootFailures] = await runPhase([undefined]);
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
  const root = await findLifecycleOwner(registry);
  const plugins = await Promise.all(
    pluginIds.map(pluginId => findLifecycleOwner(registry, pluginId)),
  );
  const phases = async () => {
    const failures = [...(await runLifecyclePhase(root, 'beforeShutdown'))];
    const pluginFailures = await Promise.all(
      plugins.map(owner => runLifecyclePhase(owner, 'shutdown')),
    );
    failures.push(...pluginFailures.flat());
    failures.push(...(await runLifecyclePhase(root, 'shutdown')));
    return failures;
  };

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Error[]>(resolve => {
    timer = setTimeout(() => {
      const pending = [root, ...plugins].flatMap(pendingHooksOf);
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
 * The lifecycle service of the root or of one plugin, as the backend
 * drives it.
 */
interface LifecycleOwner {
  readonly pluginId?: string;
  /** How messages name it: `the root` or `plugin 'todo'`. */
  readonly name: string;
  readonly ref: ServiceRef<unknown>;
  /** Whether anything created the service; its hooks only matter then. */
  readonly created: boolean;
  readonly service?: unknown;
}

/**
 * Runs one lifecycle phase of an owner's lifecycle service. Two contracts
 * are understood: Plinth's {@link LifecycleHookRunner}, whose methods
 * resolve to the hooks' failures, and Backstage's, whose methods resolve
 * to nothing and reject when they fail.
 *
 * @returns the failures; never rejects.
 */
async function runLifecyclePhase(
  owner: LifecycleOwner,
  phase: Phase,
): Promise<readonly Error[]> {
  const { service } = owner;
  if (!owner.created) {
    return [];
  }
  const run = (service as Partial<Record<Phase, unknown>> | null)?.[phase];
  if (typeof run !== 'function') {
    // Plugin lifecycles have no before-shutdown phase, and Plinth's engine
    // tolerates a root lifecycle without one.
    return phase === 'beforeShutdown' ? [] : [cannotDrive(owner, phase)];
  }
  let result: unknown;
  try {
    result = await (run as () => unknown).call(service);
  } catch (error) {
    return [
      new LifecycleError(
        'LIFECYCLE_PHASE_FAILED',
        `Service '${owner.ref.id}' failed to run the ${phaseNames[phase]} hooks of ${owner.name}.`,
        { cause: error },
      ),
    ];
  }
  return Array.isArray(result) ? result.map(toError) : [];
}

const phaseNames: Record<Phase, string> = {
  startup: 'startup',
  beforeShutdown: 'before-shutdown',
  shutdown: 'shutdown',
};

function cannotDrive(owner: LifecycleOwner, phase: Phase): LifecycleError {
  const { service } = owner;
  const what =
    typeof service === 'object' && service !== null
      ? `has no ${phase}() method`
      : `is ${describeValue(service)}`;
  const methods = owner.pluginId
    ? 'startup() and shutdown()'
    : 'startup(), beforeShutdown() and shutdown()';
  return new LifecycleError(
    'LIFECYCLE_WITHOUT_RUNNER',
    `Service '${owner.ref.id}' of ${owner.name} ${what}, so the backend cannot run its hooks. A lifecycle implementation must offer ${methods}, each returning a promise that settles once the hooks ran, as LifecycleHooks from '@plinth/backend-app-api' and Backstage's lifecycle services do.`,
  );
}

/**
 * The lifecycle service of the root (no `pluginId`) or of a plugin, with
 * the instance if anything created one; hooks only matter if someone used
 * the service.
 */
async function findLifecycleOwner(
  registry: ServiceRegistry,
  pluginId?: string,
): Promise<LifecycleOwner> {
  const ref: ServiceRef<unknown> = pluginId
    ? coreServices.lifecycle
    : coreServices.rootLifecycle;
  const name = pluginId ? `plugin '${pluginId}'` : 'the root';
  const instance = registry.getIfCreated(ref, pluginId);
  if (!instance) {
    return { pluginId, name, ref, created: false };
  }
  try {
    return { pluginId, name, ref, created: true, service: await instance };
  } catch {
    // Its factory failed; that failure was reported where it happened.
    return { pluginId, name, ref, created: false };
  }
}

/** The hooks an owner's service says are still running, if it can say. */
function pendingHooksOf(owner: LifecycleOwner): string[] {
  const service = owner.service as Partial<LifecycleHookRunner> | null;
  if (typeof service?.pendingHooks !== 'function') {
    return [];
  }
  try {
    const hooks: unknown = service.pendingHooks();
    return Array.isArray(hooks) ? hooks.map(String) : [];
  } catch {
    return [];
  }
}

/** The hooks an owner is still running, or the owner when it cannot say. */
function describePending(owner: LifecycleOwner): string[] {
  const hooks = pendingHooksOf(owner);
  return hooks.length > 0 ? hooks : [owner.name];
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
