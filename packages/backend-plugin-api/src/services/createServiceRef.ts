import { describeValue, InputError } from '@plinth/errors';
import type { BackendFeature } from '../wiring/BackendFeature';
import {
  assertValidId,
  describeCallSite,
  withTypeCarrier,
} from '../wiring/identity';

/**
 * Whether one instance of a service is shared by the whole backend (`root`)
 * or each plugin gets its own (`plugin`).
 *
 * @public
 */
export type ServiceScope = 'root' | 'plugin';

/**
 * Whether a service has one implementation (`singleton`) or collects every
 * installed implementation into an array (`multiton`).
 *
 * @public
 */
export type ServiceInstances = 'singleton' | 'multiton';

/**
 * A typed handle for a service, used in `deps` to ask for it and in
 * `createServiceFactory` to provide it. Refs are matched by `id`, so two
 * copies of a package that declare the same ref still meet.
 *
 * @public
 */
export interface ServiceRef<
  TService,
  TScope extends ServiceScope = ServiceScope,
  TInstances extends ServiceInstances = ServiceInstances,
> {
  readonly $$type: '@backstage/ServiceRef';
  readonly id: string;
  readonly scope: TScope;
  /** `true` when every installed factory contributes an instance. */
  readonly multiton?: TInstances extends 'multiton' ? true : false;
  /** Type carrier only; reading it at run time throws. */
  readonly T: TService;
  toString(): string;
}

/**
 * A feature that provides a service; add it with `backend.add()` to replace
 * the default implementation for its ref.
 *
 * @public
 */
export interface ServiceFactory<
  TService = unknown,
  TScope extends ServiceScope = ServiceScope,
  TInstances extends ServiceInstances = ServiceInstances,
> extends BackendFeature {
  readonly service: ServiceRef<TService, TScope, TInstances>;
}

/**
 * What a service ref resolves to in `deps`: the instance, or an array of
 * instances for multiton refs.
 *
 * @public
 */
export type ServiceRefInstance<TRef> =
  TRef extends ServiceRef<infer TService, ServiceScope, 'multiton'>
    ? TService[]
    : TRef extends ServiceRef<infer TService, ServiceScope, ServiceInstances>
      ? TService
      : never;

/**
 * Maps a `deps` object of refs to the object of instances handed to
 * `factory`, `init` and `loader`.
 *
 * @public
 */
export type ServiceRefsToInstances<
  TDeps extends { [name in string]: ServiceRef<unknown> },
> = { [name in keyof TDeps]: ServiceRefInstance<TDeps[name]> };

/**
 * The engine's view of a service ref.
 *
 * @internal
 */
export interface InternalServiceRef extends ServiceRef<unknown> {
  /** Where the ref was created, for error messages. */
  readonly description?: string;
  /**
   * The ref's default factory where Backstage's engine looks for it, and
   * where every engine should look first. It is called with the ref and
   * may return the factory, a promise of it, or (an older form Backstage
   * still accepts) a function returning the factory.
   */
  readonly __defaultFactory?: InternalDefaultFactory;
  /**
   * The same function under the name older Plinth engines read; refs made
   * by other runtimes may have only this one.
   */
  readonly defaultFactory?: InternalDefaultFactory;
}

/**
 * A service ref's default factory loader, as engines call it.
 *
 * @internal
 */
export type InternalDefaultFactory = (ref: ServiceRef<unknown>) => unknown;

/**
 * The default factory loader of a ref from any runtime: Backstage's
 * `__defaultFactory` first, then the `defaultFactory` of older Plinth refs.
 *
 * @internal
 */
export function getRefDefaultFactory(
  ref: ServiceRef<unknown>,
): InternalDefaultFactory | undefined {
  const { __defaultFactory, defaultFactory } = ref as InternalServiceRef;
  if (typeof __defaultFactory === 'function') {
    return __defaultFactory;
  }
  return typeof defaultFactory === 'function' ? defaultFactory : undefined;
}

/**
 * Options for {@link createServiceRef}.
 *
 * @public
 */
export interface CreateServiceRefOptions<
  TService,
  TScope extends ServiceScope,
  TInstances extends ServiceInstances,
> {
  /** Unique id, such as `core.rootConfig` or `catalog.client`. */
  id: string;
  /**
   * `root` for one shared instance, `plugin` for one instance per plugin.
   * @defaultValue `'plugin'`
   */
  scope?: TScope;
  /**
   * `true` to collect every installed factory's instance into an array.
   * @defaultValue `false`
   */
  multiton?: TInstances extends 'multiton' ? true : false;
  /**
   * Provides a factory when the backend has none for this ref; loaded only
   * when something depends on the service, so it may `import()` lazily.
   * @defaultValue none: the backend must be given a factory
   */
  defaultFactory?(
    service: ServiceRef<TService, TScope, TInstances>,
  ): Promise<ServiceFactory>;
}

const scopes: readonly ServiceScope[] = ['root', 'plugin'];

/**
 * Creates a ref for a service: the handle that consumers list in `deps` and
 * that factories provide.
 *
 * @example
 * ```ts
 * export const todoStoreServiceRef = createServiceRef<TodoStore>({
 *   id: 'todo.store',
 *   scope: 'plugin',
 * });
 * ```
 * @throws {@link @plinth/errors#InputError} when the id, scope or multiton option is invalid.
 * @public
 */
export function createServiceRef<TService>(
  options: CreateServiceRefOptions<TService, 'plugin', 'singleton'>,
): ServiceRef<TService, 'plugin', 'singleton'>;
/** @public */
export function createServiceRef<TService>(
  options: CreateServiceRefOptions<TService, 'root', 'singleton'>,
): ServiceRef<TService, 'root', 'singleton'>;
/** @public */
export function createServiceRef<TService>(
  options: CreateServiceRefOptions<TService, 'plugin', 'multiton'>,
): ServiceRef<TService, 'plugin', 'multiton'>;
/** @public */
export function createServiceRef<TService>(
  options: CreateServiceRefOptions<TService, 'root', 'multiton'>,
): ServiceRef<TService, 'root', 'multiton'>;
export function createServiceRef(
  options: CreateServiceRefOptions<unknown, ServiceScope, ServiceInstances>,
): ServiceRef<unknown> {
  const { id, scope = 'plugin', multiton = false, defaultFactory } = options;
  assertValidId('createServiceRef', 'service ref id', id);
  if (!scopes.includes(scope)) {
    throw new InputError(
      `createServiceRef() got an invalid scope ${describeValue(scope)} for service ref '${id}': use 'root' or 'plugin'.`,
    );
  }
  if (typeof multiton !== 'boolean') {
    throw new InputError(
      `createServiceRef() got an invalid multiton option ${describeValue(multiton)} for service ref '${id}': use true or false.`,
    );
  }
  if (defaultFactory !== undefined && typeof defaultFactory !== 'function') {
    throw new InputError(
      `createServiceRef() got a defaultFactory that is ${describeValue(defaultFactory)} for service ref '${id}': it must be a function returning a promise of a service factory.`,
    );
  }
  const ref = {
    $$type: '@backstage/ServiceRef' as const,
    id,
    scope,
    multiton,
    description: describeCallSite(1),
    // Both names, so that Backstage's engine (which reads __defaultFactory)
    // and older Plinth engines (which read defaultFactory) find it.
    __defaultFactory: defaultFactory,
    defaultFactory,
    toString() {
      return `serviceRef{${id}}`;
    },
  };
  return withTypeCarrier(
    ref,
    `ServiceRef.T is a type carrier for '${id}', not a value.`,
  );
}

/**
 * Tells whether a value is a service ref, from this or any other copy of
 * the API package.
 *
 * @internal
 */
export function isServiceRef(value: unknown): value is ServiceRef<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { $$type?: unknown }).$$type === '@backstage/ServiceRef' &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}
