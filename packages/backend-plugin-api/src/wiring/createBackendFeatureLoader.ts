import { describeValue, InputError } from '@plinth/errors';
import {
  isServiceRef,
  type ServiceRef,
  type ServiceRefsToInstances,
} from '../services/createServiceRef';
import type { BackendFeature } from './BackendFeature';
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
 * The engine's view of a feature loader.
 *
 * @internal
 */
export interface InternalBackendFeatureLoader extends BackendFeature {
  readonly version: 'v1';
  readonly featureType: 'loader';
  /** Where the loader was created; loaders have no id, so errors name this. */
  readonly description: string;
  readonly deps: { [name in string]: ServiceRef<unknown> };
  loader(deps: Record<string, unknown>): Promise<BackendFeatureLoaderResult>;
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
  const description = `feature loader created at ${describeCallSite(1) ?? 'an unknown place'}`;
  const { deps = {}, loader } = options ?? {};
  if (typeof loader !== 'function') {
    throw new InputError(
      `createBackendFeatureLoader() needs a loader function, got ${describeValue(loader)} (${description}).`,
    );
  }
  for (const [name, dep] of Object.entries(deps)) {
    if (!isServiceRef(dep) || dep.scope !== 'root') {
      throw new InputError(
        `createBackendFeatureLoader() lists deps.${name} as ${isServiceRef(dep) ? `plugin-scoped service '${dep.id}'` : describeValue(dep)}; loaders run before any plugin exists, so they may only depend on root-scoped services (${description}).`,
      );
    }
  }
  const feature: InternalBackendFeatureLoader = {
    $$type: '@backstage/BackendFeature',
    version: 'v1',
    featureType: 'loader',
    description,
    deps: deps,
    loader: async resolved => loader(resolved as never),
  };
  return feature;
}
