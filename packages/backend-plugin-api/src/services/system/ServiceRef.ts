import type { BackendFeature } from '../../wiring/BackendFeature';

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
  defaultFactory?(ref: ServiceRef<unknown>): Promise<ServiceFactory>;
}
