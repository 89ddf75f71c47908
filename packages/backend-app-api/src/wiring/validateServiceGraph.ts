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
      // A multiton collects what is installed; none installed is an empty
      // array, as on Backstage, not a missing service.
      if (ref.multiton) {
        return;
      }
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
 * Where the factory for a service usually comes from: a named export of a
 * package (`factory` from `from`), or the backend itself (`engine`), which
 * provides the service to every plugin.
 *
 * @internal
 */
export type KnownServiceProvider =
  | {
      readonly kind: 'factory';
      readonly factory: string;
      readonly from: string;
    }
  | { readonly kind: 'engine' };

const defaults = (name: string, subpath = name): KnownServiceProvider => ({
  kind: 'factory',
  factory: `${name}ServiceFactory`,
  from: `@plinth/backend-defaults/${subpath}`,
});

/**
 * The provider of every service that Backstage's `createBackend()` offers,
 * by id, which the missing-service hint names. Only factories that Plinth
 * really exports belong here; a repository test checks each. Ids not in
 * this table get a generic hint.
 *
 * @internal
 */
export const knownServiceProviders: Readonly<
  Record<string, KnownServiceProvider>
> = Object.freeze({
  'core.auditor': defaults('auditor'),
  'core.auth': defaults('auth'),
  'core.cache': defaults('cache'),
  'core.database': defaults('database'),
  'core.discovery': defaults('discovery'),
  'core.httpAuth': defaults('httpAuth'),
  'core.httpRouter': defaults('httpRouter'),
  'core.instanceMetadata': defaults('instanceMetadata', 'alpha'),
  'core.lifecycle': defaults('lifecycle'),
  'core.logger': defaults('logger'),
  'core.permissions': defaults('permissions'),
  'core.permissionsRegistry': defaults('permissionsRegistry'),
  'core.pluginMetadata': { kind: 'engine' },
  'core.rootConfig': defaults('rootConfig'),
  'core.rootHealth': defaults('rootHealth'),
  'core.rootHttpRouter': defaults('rootHttpRouter'),
  'core.rootInstanceMetadata': { kind: 'engine' },
  'core.rootLifecycle': defaults('rootLifecycle'),
  'core.rootLogger': defaults('rootLogger'),
  'core.rootSystemMetadata': defaults('rootSystemMetadata'),
  'core.scheduler': defaults('scheduler'),
  'core.urlReader': defaults('urlReader'),
  'core.userInfo': defaults('userInfo'),
  'alpha.core.actions': defaults('actions', 'alpha'),
  'alpha.core.actionsRegistry': defaults('actionsRegistry', 'alpha'),
  'alpha.core.connections': defaults('connections', 'alpha'),
  'alpha.core.metrics': defaults('metrics', 'alpha'),
  'alpha.core.tracing': defaults('tracing', 'alpha'),
  // The database-backed factory createBackend() uses, which delivers
  // across replicas; events-node's own default is in-process only.
  'events.service': defaults('events'),
});

/**
 * Says how a missing service is provided: for a service Backstage's
 * `createBackend()` offers, the factory and the package that export it;
 * for any other, a factory of one's own, and where the ref is declared,
 * since its package usually ships the factory or a default.
 */
function describeServiceFix(ref: ServiceRef<unknown>): string {
  const known = Object.prototype.hasOwnProperty.call(
    knownServiceProviders,
    ref.id,
  )
    ? knownServiceProviders[ref.id]
    : undefined;
  // Services the engine provides itself are never missing, so only
  // factories are named.
  if (known?.kind === 'factory') {
    const own = ref.id.startsWith('core.')
      ? `createServiceFactory({ service: coreServices.${ref.id.slice('core.'.length)}, ... })`
      : 'createServiceFactory()';
    return `add its default, backend.add(${known.factory}) from '${known.from}', or your own ${own}; createBackend() includes every default`;
  }
  const declared = (ref as InternalServiceRef).description;
  return `add a factory for it with backend.add(createServiceFactory({ service: ... }))${declared ? `; its ref is declared at ${declared}` : ''}`;
}
