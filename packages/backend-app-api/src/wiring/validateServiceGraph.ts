import type { ServiceRef } from '@plinth/backend-plugin-api';
import {
  isServiceRef,
  type InternalServiceRef,
} from '@plinth/backend-plugin-api/internal';
import { dependencyCycle, WiringError } from '../errors';
import { DependencyGraph } from './DependencyGraph';
import type { ServiceRegistry } from './ServiceRegistry';

/**
 * Something that asks for services: a plugin, a module or a loader.
 */
export interface ServiceConsumer {
  /** Such as `plugin 'catalog'`. */
  readonly label: string;
  readonly deps: Readonly<Record<string, unknown>>;
  /** Loaders exist once per backend, so they may only use root services. */
  readonly rootOnly?: boolean;
}

/**
 * Checks every service that the consumers and the eagerly created factories
 * reach: each is provided, root services use only root services, and no
 * services depend on each other in a cycle.
 */
export function validateServiceGraph(
  registry: ServiceRegistry,
  consumers: readonly ServiceConsumer[],
  options: {
    /** Also check the services created at start whether used or not. */
    includeEagerServices: boolean;
  },
): Error[] {
  const problems: Error[] = [];
  const missing = new Map<
    string,
    { ref: ServiceRef<unknown>; requestedBy: string[] }
  >();
  const reached = new Set<string>();
  const queue: string[] = [];

  const request = (ref: ServiceRef<unknown>, requestedBy: string) => {
    if (registry.hasBrokenDefault(ref.id)) {
      return;
    }
    if (!registry.has(ref.id)) {
      const entry = missing.get(ref.id) ?? { ref, requestedBy: [] };
      if (!entry.requestedBy.includes(requestedBy)) {
        entry.requestedBy.push(requestedBy);
      }
      missing.set(ref.id, entry);
    } else if (!reached.has(ref.id)) {
      reached.add(ref.id);
      queue.push(ref.id);
    }
  };

  for (const consumer of consumers) {
    for (const [name, dep] of Object.entries(consumer.deps)) {
      if (!isServiceRef(dep)) {
        continue;
      }
      if (consumer.rootOnly && registry.scopeOf(dep.id) === 'plugin') {
        problems.push(
          new WiringError(
            'SERVICE_SCOPE_LOADER_USES_PLUGIN',
            `The ${consumer.label} depends on plugin-scoped service '${dep.id}' (deps.${name}); loaders run before any plugin exists, so they may only depend on root-scoped services.`,
          ),
        );
      }
      request(dep, consumer.label);
    }
  }
  for (const factory of registry.activeFactories()) {
    const eager =
      factory.service.scope === 'root'
        ? factory.initialization !== 'lazy'
        : factory.initialization === 'always';
    if (eager && options.includeEagerServices) {
      request(factory.service, 'the backend');
    }
  }

  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const factory of registry.getFactories(id) ?? []) {
      for (const [name, dep] of Object.entries(factory.deps)) {
        if (
          factory.service.scope === 'root' &&
          registry.scopeOf(dep.id) === 'plugin'
        ) {
          problems.push(
            new WiringError(
              'SERVICE_SCOPE_ROOT_USES_PLUGIN',
              `Root-scoped service '${id}' depends on plugin-scoped service '${dep.id}' (deps.${name}); a root-scoped service may only depend on root-scoped services.`,
            ),
          );
        }
        request(dep, `service '${id}'`);
      }
    }
  }

  for (const { ref, requestedBy } of missing.values()) {
    problems.push(
      new WiringError(
        'SERVICE_MISSING',
        `Service '${ref.id}' is required by ${requestedBy.join(', ')} but no factory provides it; ${describeServiceFix(ref)}.`,
      ),
    );
  }
  const cycle = DependencyGraph.fromIterable(
    [...reached].map(id => ({
      value: id,
      provides: [id],
      consumes: (registry.getFactories(id) ?? []).flatMap(f =>
        Object.values(f.deps).map(dep => dep.id),
      ),
    })),
  ).findCycle();
  if (cycle) {
    problems.push(
      dependencyCycle(
        'SERVICE_CYCLE',
        'Services',
        cycle,
        'Remove one of these dependencies, or move what they share into a new service that both depend on.',
      ),
    );
  }
  return problems;
}

/**
 * Says how a missing service is provided: with a factory for its ref,
 * naming the default factory of `@plinth/backend-defaults` for core services,
 * and for other services where the ref is declared, since its package
 * usually ships the factory or a default.
 */
function describeServiceFix(ref: ServiceRef<unknown>): string {
  if (ref.id.startsWith('core.')) {
    const name = ref.id.slice('core.'.length);
    return `add its default, backend.add(${name}ServiceFactory) from '@plinth/backend-defaults', or your own createServiceFactory({ service: coreServices.${name}, ... }); createBackend() includes every default`;
  }
  const declared = (ref as InternalServiceRef).description;
  return `add a factory for it with backend.add(createServiceFactory({ service: ... }))${declared ? `; its ref is declared at ${declared}` : ''}`;
}
