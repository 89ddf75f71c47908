import type {
  InternalBackendFeatureLoader,
  InternalBackendRegistrations,
} from '@plinth/backend-plugin-api';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import { collectFeatures } from './collectFeatures';
import { InvalidFeatureError } from './errors/InvalidFeatureError';
import { validateServiceGraph } from './validateServiceGraph';

/**
 * Runs feature loaders until none is left: each gets its root services,
 * and what it yields is sorted like features given to `backend.add()`.
 * Service factories go into the registry; plugins, modules and further
 * loaders are queued.
 *
 * @returns the plugins and modules the loaders added, and every problem.
 */
export async function runFeatureLoaders(
  registry: ServiceRegistry,
  loaders: readonly InternalBackendFeatureLoader[],
): Promise<{
  registrations: InternalBackendRegistrations[];
  problems: Error[];
}> {
  const registrations: InternalBackendRegistrations[] = [];
  const problems: Error[] = [];
  const queue = [...loaders];
  while (queue.length > 0) {
    const loader = queue.shift()!;
    const label = loader.description ?? 'feature loader of unknown origin';
    const depProblems = [
      ...(await registry.addRefDefaults(Object.values(loader.deps))),
      ...validateServiceGraph(
        registry,
        [{ label, deps: loader.deps, rootOnly: true }],
        {
          includeEagerServices: false,
        },
      ),
    ];
    if (depProblems.length > 0) {
      problems.push(...depProblems);
      continue;
    }
    try {
      const items = await runLoader(registry, loader);
      const collected = await collectFeatures(items, `The ${label}`);
      problems.push(...collected.problems);
      for (const factory of collected.features.serviceFactories) {
        const problem = registry.add(factory);
        if (problem) {
          problems.push(problem);
        }
      }
      registrations.push(...collected.features.registrations);
      queue.push(...collected.features.loaders);
    } catch (error) {
      problems.push(InvalidFeatureError.loaderFailed(label, error));
    }
  }
  return { registrations, problems };
}

async function runLoader(
  registry: ServiceRegistry,
  loader: InternalBackendFeatureLoader,
): Promise<unknown[]> {
  const result = await loader.loader(
    await registry.getDeps(loader.deps, undefined),
  );
  // A sync iterable may hold promises that reject before their turn comes;
  // collectFeatures settles them all at once, so none goes unhandled.
  if (!(Symbol.asyncIterator in Object(result))) {
    return Array.from(result as Iterable<unknown>);
  }
  const items: unknown[] = [];
  for await (const item of result as AsyncIterable<unknown>) {
    items.push(item);
  }
  return items;
}
