import type { ServiceRegistry } from '../services/ServiceRegistry';
import { runLifecyclePhase } from './runLifecyclePhase';

/**
 * Stops a backend: the root before-shutdown hooks (stop taking traffic),
 * then every plugin's shutdown hooks concurrently, then the root shutdown
 * hooks (close shared resources such as pools). Every hook runs whatever
 * the others do.
 *
 * @returns every failure.
 */
export async function shutdownBackend(
  registry: ServiceRegistry,
  pluginIds: readonly string[],
): Promise<Error[]> {
  const failures = [...(await runLifecyclePhase(registry, 'beforeShutdown'))];
  const pluginFailures = await Promise.all(
    pluginIds.map(pluginId =>
      runLifecyclePhase(registry, 'shutdown', pluginId),
    ),
  );
  failures.push(...pluginFailures.flat());
  failures.push(...(await runLifecyclePhase(registry, 'shutdown')));
  return failures;
}
