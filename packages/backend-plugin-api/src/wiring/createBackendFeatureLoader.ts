import { describeValue, InputError, toError } from '@plinth/errors';
import {
  isServiceRef,
  type ServiceRef,
  type ServiceRefsToInstances,
} from '../services/createServiceRef';
import { unwrapFeature, type BackendFeature } from './BackendFeature';
import { describeInvalidDep } from '../services/describeInvalidDep';
import { describeCallSite } from './identity';

/**
 * What a feature loader may return: features, or dynamic imports of modules
 * whose default export is a feature, in any iterable, sync or async.
 *
 * @public
 */
export type BackendFeatureLoaderResult =
  | Iterable<BackendFeature | Promise<{ default: BackendFeature }>>
  | AsyncIterable<BackendFeature | { default: BackendFeature }>;

/**
 * Options for {@link createBackendFeatureLoader}.
 *
 * @public
 */
export interface CreateBackendFeatureLoaderOptions<
  TDeps extends { [name in string]: ServiceRef<unknown, 'root'> },
> {
  /**
   * Root-scoped services the loader needs, typically `coreServices.rootConfig`.
   * @defaultValue `{}`
   */
  deps?: TDeps;
  loader(
    deps: ServiceRefsToInstances<TDeps>,
  ): BackendFeatureLoaderResult | Promise<BackendFeatureLoaderResult>;
}

/**
 * The engine's view of a feature loader, the shape Backstage's engine
 * reads too.
 *
 * @internal
 */
export interface InternalBackendFeatureLoader extends BackendFeature {
  readonly version: 'v1';
  readonly featureType: 'loader';
  /**
   * Where the loader was created, as `created at <file>:<line>:<column>`;
   * loaders have no id, so errors name this.
   */
  readonly description: string;
  readonly deps: { [name in string]: ServiceRef<unknown> };
  /**
   * Runs the author's loader and resolves to what it produced as an array:
   * iterables consumed, `import()`s awaited, `default` exports unwrapped.
   * Items that are still not features are kept as they are, for the engine
   * to say what is wrong with them. Rejects when the author's loader fails,
   * returns no iterable, or one of its items fails to load.
   */
  loader(deps: Record<string, unknown>): Promise<unknown[]>;
}

/**
 * Creates a feature that decides at start-up which other features to add,
 * for example from config.
 *
 * @example
 * ```ts
 * export default createBackendFeatureLoader({
 *   deps: { config: coreServices.rootConfig },
 *   *loader({ config }) {
 *     if (config.getOptionalBoolean('search.enabled')) {
 *       yield import('./searchPlugin');
 *     }
 *   },
 * });
 * ```
 * @throws {@link @plinth/errors#InputError} when the loader or a dep is invalid.
 * @public
 */
export function createBackendFeatureLoader<
  TDeps extends { [name in string]: ServiceRef<unknown, 'root'> },
>(options: CreateBackendFeatureLoaderOptions<TDeps>): BackendFeature {
  // The same form as Backstage's loaders, whose engine prefixes it with
  // 'feature loader' in its messages, as Plinth's engine does.
  const description = `created at ${describeCallSite(1) ?? 'an unknown place'}`;
  const named = `feature loader ${description}`;
  const { deps = {}, loader } = options ?? {};
  if (typeof loader !== 'function') {
    throw new InputError(
      `createBackendFeatureLoader() needs a loader function, got ${describeValue(loader)} (${named}).`,
    );
  }
  for (const [name, dep] of Object.entries(deps)) {
    if (!isServiceRef(dep) || dep.scope !== 'root') {
      throw new InputError(
        `createBackendFeatureLoader() lists ${isServiceRef(dep) ? `deps.${name} as plugin-scoped service '${dep.id}'` : describeInvalidDep(name, dep)}; loaders run before any plugin exists, so they may only depend on root-scoped services (${named}).`,
      );
    }
  }
  const feature: InternalBackendFeatureLoader = {
    $$type: '@backstage/BackendFeature',
    version: 'v1',
    featureType: 'loader',
    description,
    deps: deps,
    loader: async resolved => toFeatureArray(await loader(resolved as never)),
  };
  return feature;
}

/**
 * Turns what an author's loader returned into the array engines expect.
 * Items of a sync iterable are awaited together, so that an `import()`
 * that fails early is never reported as an unhandled rejection while an
 * earlier one still loads; the first failure in order is thrown.
 */
async function toFeatureArray(result: unknown): Promise<unknown[]> {
  let items: unknown[];
  if (isAsyncIterable(result)) {
    items = [];
    for await (const item of result) {
      items.push(item);
    }
  } else if (isIterable(result)) {
    items = Array.from(result);
  } else {
    throw new InputError(
      `The loader returned ${describeValue(result)}, not an iterable of features; return an array, or write the loader as a generator that yields features or import()s.`,
    );
  }
  const settled = await Promise.allSettled(items);
  const failed = settled.find(r => r.status === 'rejected');
  if (failed) {
    // Thrown as it is: Backstage's engine shows only one level of cause,
    // and an import's own error names the module that failed.
    throw toError(failed.reason);
  }
  return settled.map(r =>
    unwrapFeature((r as PromiseFulfilledResult<unknown>).value),
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof (value as { [Symbol.asyncIterator]?: unknown } | null)?.[
      Symbol.asyncIterator
    ] === 'function'
  );
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    typeof value !== 'string' &&
    typeof (value as { [Symbol.iterator]?: unknown } | null)?.[
      Symbol.iterator
    ] === 'function'
  );
}
