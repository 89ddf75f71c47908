import { InputError } from '@plinth/errors';
import { assertValidId } from '../../wiring/assertValidId';
import { describeCallSite } from '../../wiring/describeCallSite';
import { describeValue } from '@plinth/errors';
import { withTypeCarrier } from '../../wiring/withTypeCarrier';
import type {
  ServiceFactory,
  ServiceInstances,
  ServiceRef,
  ServiceScope,
} from './ServiceRef';

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
    defaultFactory: defaultFactory,
    toString() {
      return `serviceRef{${id}}`;
    },
  };
  return withTypeCarrier(
    ref,
    `ServiceRef.T is a type carrier for '${id}', not a value.`,
  );
}
