import { describeValue, InputError } from '@plinth/errors';
import { describeCallSite } from '../wiring/identity';
import { describeInvalidDep } from './describeInvalidDep';
import {
  isServiceRef,
  type ServiceFactory,
  type ServiceInstances,
  type ServiceRef,
  type ServiceRefsToInstances,
} from './createServiceRef';

/**
 * When a factory's instances are created: `always` at start-up, `lazy` when
 * something first depends on them.
 *
 * @public
 */
export type ServiceInitialization = 'always' | 'lazy';

/**
 * Options for a factory of a root-scoped service.
 *
 * @public
 */
export interface RootServiceFactoryOptions<
  TService,
  TInstances extends ServiceInstances,
  TImpl extends TService,
  TDeps extends { [name in string]: ServiceRef<unknown, 'root'> },
> {
  service: ServiceRef<TService, 'root', TInstances>;
  /** Root-scoped services this factory needs. */
  deps: TDeps;
  /**
   * @defaultValue `'always'` for root services
   */
  initialization?: ServiceInitialization;
  factory(deps: ServiceRefsToInstances<TDeps>): TImpl | Promise<TImpl>;
}

/**
 * Options for a factory of a plugin-scoped service.
 *
 * @public
 */
export interface PluginServiceFactoryOptions<
  TService,
  TInstances extends ServiceInstances,
  TContext,
  TImpl extends TService,
  TDeps extends { [name in string]: ServiceRef<unknown> },
> {
  service: ServiceRef<TService, 'plugin', TInstances>;
  /** Root- or plugin-scoped services this factory needs. */
  deps: TDeps;
  /**
   * @defaultValue `'lazy'` for plugin services
   */
  initialization?: ServiceInitialization;
  /**
   * Runs once per factory, before the first plugin instance is made, with
   * the root-scoped deps only: the place for state shared by all plugins,
   * such as a connection pool.
   * @defaultValue none: `factory` receives `undefined` as its context
   */
  createRootContext?(deps: RootScopedDeps<TDeps>): TContext | Promise<TContext>;
  /** Runs once per plugin that uses the service. */
  factory(
    deps: ServiceRefsToInstances<TDeps>,
    context: TContext,
  ): TImpl | Promise<TImpl>;
}

/**
 * The root-scoped subset of a `deps` object, as instances.
 *
 * @public
 */
export type RootScopedDeps<
  TDeps extends { [name in string]: ServiceRef<unknown> },
> = ServiceRefsToInstances<{
  [
    name in keyof TDeps as TDeps[name]['scope'] extends 'root' ? name : never
  ]: TDeps[name];
}>;

/**
 * The engine's view of a service factory: the plain-data protocol shared
 * with other runtimes.
 *
 * @internal
 */
export interface InternalServiceFactory extends ServiceFactory {
  readonly version: 'v1';
  readonly featureType: 'service';
  /** Where the factory was created, for error messages. */
  readonly description?: string;
  readonly deps: { [name in string]: ServiceRef<unknown> };
  readonly initialization?: ServiceInitialization;
  createRootContext?(deps: Record<string, unknown>): Promise<unknown>;
  factory(deps: Record<string, unknown>, context: unknown): Promise<unknown>;
}

const initializations: readonly ServiceInitialization[] = ['always', 'lazy'];

/**
 * Creates a factory that provides a service. Added with `backend.add()`, it
 * replaces the default factory for the same ref.
 *
 * @example
 * ```ts
 * export const todoStoreServiceFactory = createServiceFactory({
 *   service: todoStoreServiceRef,
 *   deps: { database: coreServices.database },
 *   async factory({ database }) {
 *     return TodoStore.create(await database.getClient());
 *   },
 * });
 * ```
 * @throws {@link @plinth/errors#InputError} when an option is invalid, such
 *   as a root-scoped service that depends on a plugin-scoped one.
 * @public
 */
export function createServiceFactory<
  TService,
  TInstances extends ServiceInstances,
  TImpl extends TService,
  TDeps extends { [name in string]: ServiceRef<unknown, 'root'> },
>(
  options: RootServiceFactoryOptions<TService, TInstances, TImpl, TDeps>,
): ServiceFactory<TService, 'root', TInstances>;
/** @public */
export function createServiceFactory<
  TService,
  TInstances extends ServiceInstances,
  TImpl extends TService,
  TDeps extends { [name in string]: ServiceRef<unknown> },
  TContext = undefined,
>(
  options: PluginServiceFactoryOptions<
    TService,
    TInstances,
    TContext,
    TImpl,
    TDeps
  >,
): ServiceFactory<TService, 'plugin', TInstances>;
export function createServiceFactory(
  options:
    | RootServiceFactoryOptions<
        unknown,
        ServiceInstances,
        unknown,
        Record<string, ServiceRef<unknown, 'root'>>
      >
    | PluginServiceFactoryOptions<
        unknown,
        ServiceInstances,
        unknown,
        unknown,
        Record<string, ServiceRef<unknown>>
      >,
): ServiceFactory {
  const { service, deps, initialization } = options ?? {};
  if (!isServiceRef(service)) {
    throw new InputError(
      `createServiceFactory() needs a service ref created with createServiceRef(), got ${describeValue(service)}.`,
    );
  }
  const where = `for service '${service.id}'`;
  if (typeof deps !== 'object' || deps === null || Array.isArray(deps)) {
    throw new InputError(
      `createServiceFactory() ${where} needs a deps object, got ${describeValue(deps)}; use deps: {} when it needs nothing.`,
    );
  }
  for (const [name, dep] of Object.entries(deps)) {
    if (!isServiceRef(dep)) {
      throw new InputError(
        `createServiceFactory() ${where} lists ${describeInvalidDep(name, dep)}; service factories may only depend on service refs.`,
      );
    }
    if (service.scope === 'root' && dep.scope !== 'root') {
      throw new InputError(
        `createServiceFactory() ${where} depends on plugin-scoped service '${dep.id}' (deps.${name}); a root-scoped service may only depend on root-scoped services.`,
      );
    }
  }
  if (
    initialization !== undefined &&
    !initializations.includes(initialization)
  ) {
    throw new InputError(
      `createServiceFactory() ${where} got an invalid initialization ${describeValue(initialization)}: use 'always' or 'lazy'.`,
    );
  }
  if (typeof options.factory !== 'function') {
    throw new InputError(
      `createServiceFactory() ${where} needs a factory function, got ${describeValue(options.factory)}.`,
    );
  }
  const createRootContext =
    'createRootContext' in options ? options.createRootContext : undefined;
  if (createRootContext !== undefined) {
    if (service.scope === 'root') {
      throw new InputError(
        `createServiceFactory() ${where} has createRootContext, but the service is root-scoped; put shared setup in its factory instead.`,
      );
    }
    if (typeof createRootContext !== 'function') {
      throw new InputError(
        `createServiceFactory() ${where} got a createRootContext that is ${describeValue(createRootContext)}; it must be a function.`,
      );
    }
  }
  const userFactory = options.factory as (
    deps: Record<string, unknown>,
    context: unknown,
  ) => unknown;
  const feature: InternalServiceFactory = {
    $$type: '@backstage/BackendFeature',
    version: 'v1',
    featureType: 'service',
    description: describeCallSite(1),
    service,
    deps,
    initialization,
    // Wrapped so that sync factories and sync throws both become promises.
    createRootContext: createRootContext
      ? rootDeps =>
          Promise.resolve().then(() => createRootContext(rootDeps as never))
      : undefined,
    factory: (factoryDeps, context) =>
      Promise.resolve().then(() => userFactory(factoryDeps, context)),
  };
  return feature;
}
