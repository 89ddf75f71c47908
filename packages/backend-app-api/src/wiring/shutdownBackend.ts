import type { ServiceRegistry } from '../services/ServiceRegistry';
import { ShutdownTimeoutError } from './errors/ShutdownTimeoutError';
import { findLifecycleRunner } from './findLifecycleRunner';
import { runLifecyclePhase } from './runLifecyclePhase';

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
      resolve([ShutdownTimeoutError.hooksStillRunning(timeoutMs, pending)]);
    }, timeoutMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([phases(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
