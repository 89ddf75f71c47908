import {
  coreServices,
  createServiceFactory,
  type PluginMetadataService,
  type ServiceFactory,
  type ServiceRef,
  type ServiceScope,
} from '@plinth/backend-plugin-api';
import {
  getRefDefaultFactory,
  type InternalDefaultFactory,
  type InternalServiceFactory,
  type InternalServiceRef,
} from '@plinth/backend-plugin-api/internal';
import { describeValue } from '@plinth/errors';
import { registeredTwice, ServiceFactoryError, WiringError } from '../errors';
import { describeOrigin } from './collectFeatures';

/**
 * Holds the service factories of one backend and the instances they made:
 * root instances once per backend, plugin instances once per plugin, with
 * one root context per plugin-scoped factory. Explicitly added factories
 * replace the defaults for their id; a ref's own default factory
 * (`__defaultFactory`, or `defaultFactory` on older refs) is the last
 * resort.
 */
export class ServiceRegistry {
  readonly #explicit = new Map<string, InternalServiceFactory[]>();
  readonly #defaults = new Map<string, InternalServiceFactory[]>();
  readonly #builtin = new Map<string, InternalServiceFactory>();
  readonly #created = new Set<string>();
  readonly #brokenDefaults = new Set<string>();
  readonly #rootInstances = new Map<InternalServiceFactory, Promise<unknown>>();
  readonly #rootContexts = new Map<InternalServiceFactory, Promise<unknown>>();
  readonly #pluginInstances = new Map<
    string,
    Map<InternalServiceFactory, Promise<unknown>>
  >();
  /**
   * Provides `core.pluginMetadata`. A factory gets no plugin id, so the
   * registry makes these instances itself; the factory is registered so
   * that the id is known, scoped and reserved like any built-in service.
   */
  readonly #pluginMetadataFactory = createServiceFactory({
    service: coreServices.pluginMetadata,
    deps: {},
    factory: (): PluginMetadataService => {
      throw new Error(
        'Internal error: plugin metadata is made by the registry.',
      );
    },
  }) as InternalServiceFactory;

  static create(options: {
    defaultFactories: readonly ServiceFactory[];
    builtinFactories: readonly ServiceFactory[];
  }): ServiceRegistry {
    const registry = new ServiceRegistry();
    for (const factory of options.defaultFactories as InternalServiceFactory[]) {
      const id = factory.service.id;
      const existing = registry.#defaults.get(id) ?? [];
      if (existing.length > 0 && !factory.service.multiton) {
        throw registeredTwice(
          'SERVICE_DEFAULT_DUPLICATE',
          `Default service '${id}'`,
          describeOrigin(existing[0].description),
          describeOrigin(factory.description),
          'Pass one default factory per singleton service to createSpecializedBackend().',
        );
      }
      registry.#defaults.set(id, [...existing, factory]);
    }
    for (const factory of [
      registry.#pluginMetadataFactory,
      ...(options.builtinFactories as InternalServiceFactory[]),
    ]) {
      registry.#builtin.set(factory.service.id, factory);
    }
    return registry;
  }

  private constructor() {}

  /**
   * Adds a factory given to `backend.add()` or by a loader, replacing the
   * defaults for its id. Returns the problem instead of throwing, so that
   * every problem can be reported at once.
   */
  add(factory: InternalServiceFactory): Error | undefined {
    const id = factory.service.id;
    if (this.#builtin.has(id)) {
      return new WiringError(
        'SERVICE_RESERVED',
        `Service '${id}' is provided by the backend itself and cannot be replaced; remove the factory ${describeOrigin(factory.description)}.`,
      );
    }
    if (this.#created.has(id)) {
      return new WiringError(
        'LOADER_FACTORY_TOO_LATE',
        `Service '${id}' got a factory (${describeOrigin(factory.description)}) from a feature loader after the service was already created for another loader; add that factory with backend.add() instead.`,
      );
    }
    const existing = this.#explicit.get(id) ?? [];
    if (existing.length > 0 && !factory.service.multiton) {
      return registeredTwice(
        'SERVICE_DUPLICATE',
        `Service '${id}'`,
        describeOrigin(existing[0].description),
        describeOrigin(factory.description),
        'Add one factory per service, or declare its ref with multiton: true to collect several.',
      );
    }
    this.#explicit.set(id, [...existing, factory]);
    return undefined;
  }

  /**
   * Loads the default factory of every ref that nothing else provides,
   * following the deps of the factories it loads.
   */
  async addRefDefaults(refs: Iterable<ServiceRef<unknown>>): Promise<Error[]> {
    const problems: Error[] = [];
    const queue = [...refs];
    const tried = new Set<string>();
    while (queue.length > 0) {
      const ref = queue.shift() as InternalServiceRef;
      if (tried.has(ref.id)) {
        continue;
      }
      tried.add(ref.id);
      let factories = this.getFactories(ref.id);
      const defaultFactory = getRefDefaultFactory(ref);
      if (!factories && defaultFactory) {
        const loaded = await loadRefDefault(ref, defaultFactory);
        if (loaded instanceof Error) {
          problems.push(loaded);
          this.#brokenDefaults.add(ref.id);
        } else {
          this.#defaults.set(ref.id, [loaded]);
          factories = [loaded];
        }
      }
      for (const factory of factories ?? []) {
        queue.push(...Object.values(factory.deps));
      }
    }
    return problems;
  }

  /** The factories that provide an id, or `undefined` when none does. */
  getFactories(id: string): readonly InternalServiceFactory[] | undefined {
    const builtin = this.#builtin.get(id);
    return (
      (builtin && [builtin]) ?? this.#explicit.get(id) ?? this.#defaults.get(id)
    );
  }

  /** Every factory that is in effect, after replacements. */
  activeFactories(): InternalServiceFactory[] {
    const ids = new Set([
      ...this.#builtin.keys(),
      ...this.#explicit.keys(),
      ...this.#defaults.keys(),
    ]);
    return [...ids].flatMap(id => this.getFactories(id) ?? []);
  }

  /** The scope of the service behind an id, as its factories declare it. */
  scopeOf(id: string): ServiceScope | undefined {
    return this.getFactories(id)?.[0]?.service.scope;
  }

  /** Whether the ref's own default factory failed, which was reported already. */
  hasBrokenDefault(id: string): boolean {
    return this.#brokenDefaults.has(id);
  }

  /** Whether something provides the service. */
  has(id: string): boolean {
    return !!this.getFactories(id);
  }

  /**
   * The instance of a service for a plugin, or for the backend when
   * `pluginId` is omitted; an array for multiton services.
   */
  get(ref: ServiceRef<unknown>, pluginId?: string): Promise<unknown> {
    const factories = this.getFactories(ref.id);
    if (!factories && ref.multiton) {
      return Promise.resolve([]);
    }
    if (!factories) {
      return Promise.reject(
        new Error(
          `Internal error: service '${ref.id}' was used before validation.`,
        ),
      );
    }
    this.#created.add(ref.id);
    // The provider's declaration decides; a consumer may hold another copy of the ref.
    if (!factories[0].service.multiton) {
      return this.#instantiate(factories[0], pluginId);
    }
    return Promise.all(factories.map(f => this.#instantiate(f, pluginId)));
  }

  /**
   * The instance of a service if it was already created, without creating
   * it: used for lifecycle services, whose hooks only matter if someone
   * used them.
   */
  getIfCreated(
    ref: ServiceRef<unknown>,
    pluginId?: string,
  ): Promise<unknown> | undefined {
    const factory = this.getFactories(ref.id)?.[0];
    if (!factory) {
      return undefined;
    }
    return factory.service.scope === 'root'
      ? this.#rootInstances.get(factory)
      : this.#pluginInstances.get(pluginId ?? '')?.get(factory);
  }

  /** The root services whose factories ask to be created at start. */
  eagerRootServices(): ServiceRef<unknown>[] {
    const eager = this.activeFactories().filter(
      f => f.service.scope === 'root' && f.initialization !== 'lazy',
    );
    // One entry per id: a multiton's factories are all created by one get().
    return [...new Map(eager.map(f => [f.service.id, f.service])).values()];
  }

  /** Creates, for one plugin, every plugin service marked `always`. */
  async createEagerPluginServices(pluginId: string): Promise<void> {
    await Promise.all(
      this.activeFactories()
        .filter(
          f => f.service.scope === 'plugin' && f.initialization === 'always',
        )
        .map(f => this.get(f.service, pluginId)),
    );
  }

  #instantiate(
    factory: InternalServiceFactory,
    pluginId?: string,
  ): Promise<unknown> {
    if (factory.service.scope === 'root') {
      let instance = this.#rootInstances.get(factory);
      if (!instance) {
        instance = this.getDeps(factory.deps, undefined)
          .then(deps => factory.factory(deps, undefined))
          .catch(error => {
            throw wrapFactoryError(factory.service.id, undefined, error);
          });
        this.#rootInstances.set(factory, instance);
      }
      return instance;
    }
    if (!pluginId) {
      return Promise.reject(
        new Error(
          `Internal error: plugin service '${factory.service.id}' was asked for outside a plugin.`,
        ),
      );
    }
    let instances = this.#pluginInstances.get(pluginId);
    if (!instances) {
      instances = new Map();
      this.#pluginInstances.set(pluginId, instances);
    }
    let instance = instances.get(factory);
    if (!instance && factory === this.#pluginMetadataFactory) {
      instance = Promise.resolve({ getId: () => pluginId });
      instances.set(factory, instance);
    }
    if (!instance) {
      instance = Promise.all([
        this.#rootContext(factory),
        this.getDeps(factory.deps, pluginId),
      ])
        .then(([context, deps]) => factory.factory(deps, context))
        .catch(error => {
          throw wrapFactoryError(factory.service.id, pluginId, error);
        });
      instances.set(factory, instance);
    }
    return instance;
  }

  #rootContext(factory: InternalServiceFactory): Promise<unknown> {
    let context = this.#rootContexts.get(factory);
    if (!context) {
      const createRootContext = factory.createRootContext;
      context = createRootContext
        ? this.getDeps(this.#rootDeps(factory), undefined)
            .then(deps => createRootContext(deps))
            .catch(error => {
              throw new ServiceFactoryError(
                factory.service.id,
                undefined,
                error,
                'root context',
              );
            })
        : Promise.resolve(undefined);
      this.#rootContexts.set(factory, context);
    }
    return context;
  }

  /**
   * Resolves a `deps` object of service refs to instances: root services
   * for the backend, plugin services for `pluginId`.
   */
  async getDeps(
    deps: Readonly<Record<string, ServiceRef<unknown>>>,
    pluginId: string | undefined,
  ): Promise<Record<string, unknown>> {
    const entries = Object.entries(deps);
    const values = await Promise.all(
      entries.map(([, ref]) =>
        this.get(ref, this.scopeOf(ref.id) === 'root' ? undefined : pluginId),
      ),
    );
    return Object.fromEntries(entries.map(([name], i) => [name, values[i]]));
  }

  /** The root-scoped subset of a factory's deps, for its root context. */
  #rootDeps(factory: InternalServiceFactory) {
    return Object.fromEntries(
      Object.entries(factory.deps).filter(
        ([, ref]) => this.scopeOf(ref.id) === 'root',
      ),
    );
  }
}

function wrapFactoryError(
  serviceId: string,
  pluginId: string | undefined,
  error: unknown,
): Error {
  return error instanceof ServiceFactoryError &&
    error.serviceId === serviceId &&
    error.pluginId === pluginId
    ? error
    : new ServiceFactoryError(serviceId, pluginId, error);
}

/**
 * Calls a ref's default factory loader as Backstage's engine does (with
 * the ref; the result awaited, and called if it is a function, an older
 * form) and checks that it gave a factory for that very ref.
 */
async function loadRefDefault(
  ref: InternalServiceRef,
  defaultFactory: InternalDefaultFactory,
): Promise<InternalServiceFactory | Error> {
  const named = `service ref '${ref.id}'${ref.description ? ` (declared at ${ref.description})` : ''}`;
  let factory: unknown;
  try {
    factory = await defaultFactory(ref);
    if (typeof factory === 'function') {
      factory = await (factory as () => unknown)();
    }
  } catch (error) {
    return new WiringError(
      'SERVICE_DEFAULT_FACTORY_FAILED',
      `The defaultFactory of ${named} failed.`,
      error,
    );
  }
  const candidate = factory as Partial<InternalServiceFactory> | undefined;
  if (
    candidate?.featureType !== 'service' ||
    candidate.service?.id !== ref.id
  ) {
    const got =
      candidate?.featureType === 'service'
        ? `a factory for '${candidate.service?.id}'`
        : describeValue(factory);
    // Backstage's engine does not unwrap modules here, so neither do we:
    // say how to fix it instead.
    const hint =
      typeof factory === 'object' && factory !== null && 'default' in factory
        ? ` Return the module's export, as in import('./factory').then(m => m.default).`
        : '';
    return new WiringError(
      'SERVICE_DEFAULT_FACTORY_MISMATCH',
      `The defaultFactory of ${named} returned ${got}; it must return a factory for '${ref.id}', made with createServiceFactory({ service, ... }).${hint}`,
    );
  }
  return candidate as InternalServiceFactory;
}
