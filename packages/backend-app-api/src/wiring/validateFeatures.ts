import {
  coreServices,
  isServiceRef,
  type Config,
  type RootInstanceMetadataServicePluginInfo,
} from '@plinth/backend-plugin-api';
import { toError } from '@plinth/errors';
import type { ServiceRegistry } from '../services/ServiceRegistry';
import { collectFeatures } from './collectFeatures';
import { BackendValidationError } from './errors/BackendValidationError';
import type { PluginUnit, ProvidedExtensionPoint } from './PluginUnit';
import type { BootFailurePolicy } from './BootFailurePolicy';
import { readBootFailurePolicy } from './readBootFailurePolicy';
import { readRegistrations } from './readRegistrations';
import { runFeatureLoaders } from './runFeatureLoaders';
import { validateRegistrations } from './validateRegistrations';
import { validateServiceGraph } from './validateServiceGraph';

/**
 * A backend whose features fit together, ready to initialise.
 */
export interface ValidatedBackend {
  units: PluginUnit[];
  extensionPoints: Map<string, ProvidedExtensionPoint>;
  policy: BootFailurePolicy;
  installed: RootInstanceMetadataServicePluginInfo[];
}

/**
 * Turns everything given to `backend.add()` into a validated backend:
 * collects features, runs loaders, reads registrations, and checks the
 * registrations, the service graph and the boot failure policy. Every
 * problem is collected and thrown at once, before any plugin init runs.
 *
 * @throws {@link BackendValidationError} listing every problem.
 */
export async function validateFeatures(
  registry: ServiceRegistry,
  added: readonly unknown[],
): Promise<ValidatedBackend> {
  const problems: Error[] = [];
  const collected = await collectFeatures(added, 'backend.add()');
  problems.push(...collected.problems);
  for (const factory of collected.features.serviceFactories) {
    const problem = registry.add(factory);
    if (problem) {
      problems.push(problem);
    }
  }
  const loaded = await runFeatureLoaders(registry, collected.features.loaders);
  problems.push(...loaded.problems);

  const read = readRegistrations([
    ...collected.features.registrations,
    ...loaded.registrations,
  ]);
  problems.push(...read.problems);
  const {
    units,
    extensionPoints,
    problems: registrationProblems,
  } = validateRegistrations(read.registrations);
  problems.push(...registrationProblems);

  const consumers = read.registrations.map(r => ({
    label: r.label,
    deps: r.init.deps,
  }));
  const requested = consumers
    .flatMap(c => Object.values(c.deps))
    .filter(isServiceRef);
  const factoryRefs = registry
    .activeFactories()
    .flatMap(f => [f.service, ...Object.values(f.deps)]);
  problems.push(
    ...(await registry.addRefDefaults([...requested, ...factoryRefs])),
  );
  problems.push(
    ...validateServiceGraph(registry, consumers, {
      includeEagerServices: true,
    }),
  );

  let config: Config | undefined;
  if (problems.length === 0 && registry.has(coreServices.rootConfig.id)) {
    try {
      config = (await registry.get(coreServices.rootConfig)) as Config;
    } catch (error) {
      problems.push(toError(error));
    }
  }
  const { policy, problems: policyProblems } = readBootFailurePolicy(
    config,
    units.map(u => ({
      pluginId: u.pluginId,
      moduleIds: u.modules.map(m => m.moduleId!),
    })),
  );
  problems.push(...policyProblems);

  if (problems.length > 0) {
    throw new BackendValidationError(problems);
  }
  const installed = units.map(unit => ({
    pluginId: unit.pluginId,
    modules: unit.modules.map(m => ({ moduleId: m.moduleId! })),
  }));
  return { units, extensionPoints, policy, installed };
}
