import {
  isExtensionPoint,
  type ExtensionPointRegistration,
  type InternalBackendFeatureLoader,
  type InternalBackendRegistrations,
  type InternalModuleRegistration,
  type InternalPluginRegistration,
  type InternalServiceFactory,
  type LegacyFeatureRegistration,
  type RegistrationInit,
  unwrapFeature,
  describeThrowSite,
} from '@plinth/backend-plugin-api/internal';
import { describeValue, isError, quoteList, toError } from '@plinth/errors';
import { WiringError } from '../errors';
import type { ServiceRegistry } from './ServiceRegistry';
import { validateServiceGraph } from './validateServiceGraph';

/**
 * A plugin or module as the engine works with it, whatever protocol
 * version it was declared in.
 */
export interface FeatureRegistration {
  readonly kind: 'plugin' | 'module';
  readonly pluginId: string;
  readonly moduleId?: string;
  /** How errors and logs name it: `plugin 'x'` or `module 'm' for plugin 'x'`. */
  readonly label: string;
  /** Where it was created, as `describeOrigin` renders it. */
  readonly origin: string;
  /**
   * The feature it came from: registrations of one feature added twice
   * share it, while two features with the same id do not.
   */
  readonly feature: InternalBackendRegistrations;
  readonly extensionPoints: readonly ExtensionPointRegistration[];
  /** The connection types it declared, which its connections service may look up. */
  readonly connectionTypes: readonly string[];
  readonly init: RegistrationInit;
}

/**
 * Features sorted by kind.
 */
export interface CollectedFeatures {
  serviceFactories: InternalServiceFactory[];
  registrations: InternalBackendRegistrations[];
  loaders: InternalBackendFeatureLoader[];
}

const featureTypes = ['service', 'registrations', 'loader'];

/**
 * A value given to `backend.add()`, with the place that added it when it
 * is a promise: a dynamic import that fails says nothing else about which
 * of the features it was.
 */
export interface AddedFeature {
  value: unknown;
  /** Such as `packages/backend/src/index.ts:14:9`. */
  addedAt?: string;
}

/**
 * Waits for features given as promises or dynamic imports, unwraps default
 * exports, and sorts them by kind. Anything that is not a feature becomes a
 * problem that says what was given and what was expected.
 *
 * @param source - where the values came from, such as `backend.add()`.
 */
export async function collectFeatures(
  added: readonly AddedFeature[],
  source: string,
): Promise<{ features: CollectedFeatures; problems: Error[] }> {
  const features: CollectedFeatures = {
    serviceFactories: [],
    registrations: [],
    loaders: [],
  };
  const problems: Error[] = [];
  const settled = await Promise.allSettled(
    added.map(({ value }) => Promise.resolve(value)),
  );
  for (const [index, result] of settled.entries()) {
    if (result.status === 'rejected') {
      problems.push(
        describeLoadFailure(result.reason, source, added[index].addedAt),
      );
      continue;
    }
    const value = unwrapFeature(result.value);
    const problem = checkFeature(value, source);
    if (problem) {
      problems.push(problem);
      continue;
    }
    const feature = value as { featureType: string };
    if (feature.featureType === 'service') {
      features.serviceFactories.push(feature as InternalServiceFactory);
    } else if (feature.featureType === 'registrations') {
      features.registrations.push(feature as InternalBackendRegistrations);
    } else {
      features.loaders.push(feature as InternalBackendFeatureLoader);
    }
  }
  return { features, problems };
}

/**
 * The problem of a feature whose promise rejected, naming the
 * `backend.add()` call and where the feature's own code threw, since the
 * error of a failed import names neither the feature nor, once printed
 * without its stack, the file.
 */
function describeLoadFailure(
  reason: unknown,
  source: string,
  addedAt: string | undefined,
): WiringError {
  const error = toError(reason);
  const feature = addedAt
    ? `The feature added at ${addedAt} (${source})`
    : `A feature passed to ${source}`;
  const thrownAt = describeThrowSite(error);
  const where =
    thrownAt && thrownAt.split(':')[0] !== addedAt?.split(':')[0]
      ? `; its code threw at ${thrownAt}`
      : '';
  return new WiringError(
    'FEATURE_LOAD_FAILED',
    `${feature} failed to load${where}. Fix the error below there, or remove the feature.`,
    error,
  );
}

/**
 * Runs feature loaders until none is left: each gets its root services,
 * and what it yields is sorted like features given to `backend.add()`.
 * Service factories go into the registry; plugins, modules and further
 * loaders are queued.
 *
 * @returns the plugins and modules the loaders added, and every problem.
 */
export async function runFeatureLoaders(
  registry: ServiceRegistry,
  loaders: readonly InternalBackendFeatureLoader[],
): Promise<{
  registrations: InternalBackendRegistrations[];
  problems: Error[];
}> {
  const registrations: InternalBackendRegistrations[] = [];
  const problems: Error[] = [];
  const queue = [...loaders];
  while (queue.length > 0) {
    const loader = queue.shift()!;
    const label = describeLoader(loader.description);
    // Backstage's loaders leave deps undefined when they need none.
    const deps = loader.deps ?? {};
    const depProblems = [
      ...(await registry.addRefDefaults(Object.values(deps))),
      ...validateServiceGraph(registry, [{ label, deps, rootOnly: true }], {
        includeEagerServices: false,
      }),
    ];
    if (depProblems.length > 0) {
      problems.push(...depProblems);
      continue;
    }
    try {
      const items = await runLoader(registry, loader, deps, label);
      if (items instanceof Error) {
        problems.push(items);
        continue;
      }
      const collected = await collectFeatures(
        items.map(value => ({ value })),
        `The ${label}`,
      );
      problems.push(...collected.problems);
      for (const factory of collected.features.serviceFactories) {
        const problem = registry.add(factory);
        if (problem) {
          problems.push(problem);
        }
      }
      registrations.push(...collected.features.registrations);
      queue.push(...collected.features.loaders);
    } catch (error) {
      problems.push(
        new WiringError('LOADER_FAILED', `The ${label} failed.`, error),
      );
    }
  }
  return { registrations, problems };
}

/**
 * Calls each feature's `register` (through `getRegistrations`) and brings
 * every registration to one shape. Errors thrown by a feature's `register`
 * are user mistakes that already name the feature, so they are reported
 * as they are.
 */
export function readRegistrations(
  features: readonly InternalBackendRegistrations[],
): { registrations: FeatureRegistration[]; problems: Error[] } {
  const registrations: FeatureRegistration[] = [];
  const problems: Error[] = [];
  for (const feature of features) {
    const origin = describeOrigin(feature.description);
    let raw: readonly AnyRegistration[];
    try {
      raw = feature.getRegistrations();
    } catch (error) {
      problems.push(
        isError(error)
          ? error
          : new WiringError(
              'FEATURE_REGISTER_FAILED',
              `A feature ${origin} failed to register.`,
              error,
            ),
      );
      continue;
    }
    for (const registration of raw) {
      const normalized = normalize(registration, origin, feature);
      if (normalized instanceof Error) {
        problems.push(normalized);
      } else {
        registrations.push(normalized);
      }
    }
  }
  return { registrations, problems };
}

/**
 * Says where a feature came from, for error messages, such as
 * `created at plugins/todo/src/plugin.ts:12:27`, with a fallback for
 * features built by hand or by another runtime.
 */
export function describeOrigin(description: string | undefined): string {
  if (!description) {
    return 'of unknown origin';
  }
  return /^(feature loader|created at) /.test(description)
    ? description
    : `created at ${description}`;
}

/**
 * Names a loader for messages, such as
 * `feature loader created at packages/backend/src/index.ts:9:3`, from the
 * description of a Plinth loader, a Backstage loader (both
 * `created at ...`) or an older Plinth loader (`feature loader ...`).
 */
function describeLoader(description: string | undefined): string {
  if (typeof description !== 'string' || description === '') {
    return 'feature loader of unknown origin';
  }
  return description.startsWith('feature loader')
    ? description
    : `feature loader ${describeOrigin(description)}`;
}

function checkFeature(value: unknown, source: string): Error | undefined {
  const feature = value as {
    $$type?: unknown;
    version?: unknown;
    featureType?: unknown;
  } | null;
  if (typeof value === 'function') {
    return new WiringError(
      'FEATURE_IS_FUNCTION',
      `${source} received ${describeValue(value)} instead of a feature; pass the feature itself, for example the result of createBackendPlugin(), not a function that makes one.`,
    );
  }
  if (typeof feature !== 'object' || feature === null) {
    return new WiringError(
      'FEATURE_NOT_A_FEATURE',
      `${source} received ${describeValue(value)}, which is not a backend feature; pass the result of createBackendPlugin(), createBackendModule(), createServiceFactory() or createBackendFeatureLoader(), or import() of a module whose default export is one.`,
    );
  }
  if (feature.$$type !== '@backstage/BackendFeature') {
    const keys = quoteList(Object.keys(feature)) || 'none';
    return new WiringError(
      'FEATURE_NO_DEFAULT_EXPORT',
      `${source} received an object that is not a backend feature and has no default export (its keys: ${keys}); export the feature as default, or pass the feature itself.`,
    );
  }
  if (feature.version !== 'v1') {
    return new WiringError(
      'FEATURE_UNSUPPORTED_VERSION',
      `${source} received a feature of version ${JSON.stringify(feature.version)}, which this backend does not support; it loads version 'v1'. Align the versions of @plinth/backend-plugin-api and @plinth/backend-app-api.`,
    );
  }
  if (!featureTypes.includes(feature.featureType as string)) {
    return new WiringError(
      'FEATURE_UNKNOWN_TYPE',
      `${source} received a feature of unknown type ${JSON.stringify(feature.featureType)}; this backend loads 'service', 'registrations' and 'loader' features.`,
    );
  }
  return undefined;
}

/**
 * Calls a loader and returns its items. Loaders made by Plinth and by
 * Backstage resolve to an array; loaders of older Plinth versions resolve
 * to the author's iterable, which is consumed here.
 */
async function runLoader(
  registry: ServiceRegistry,
  loader: InternalBackendFeatureLoader,
  deps: InternalBackendFeatureLoader['deps'],
  label: string,
): Promise<unknown[] | Error> {
  const result: unknown = await loader.loader(
    await registry.getDeps(deps, undefined),
  );
  if (Array.isArray(result)) {
    return result as unknown[];
  }
  if (typeof result === 'object' && result !== null) {
    if (Symbol.asyncIterator in result) {
      const items: unknown[] = [];
      for await (const item of result as AsyncIterable<unknown>) {
        items.push(item);
      }
      return items;
    }
    // A sync iterable may hold promises that reject before their turn
    // comes; collectFeatures settles them all at once, so none goes
    // unhandled.
    if (Symbol.iterator in result) {
      return Array.from(result as Iterable<unknown>);
    }
  }
  return new WiringError(
    'LOADER_INVALID_OUTPUT',
    `The ${label} resolved to ${describeValue(result)}; a feature loader must resolve to an array of features. Create it with createBackendFeatureLoader().`,
  );
}

type AnyRegistration =
  | InternalPluginRegistration
  | InternalModuleRegistration
  | LegacyFeatureRegistration;

function normalize(
  registration: AnyRegistration,
  origin: string,
  feature: InternalBackendRegistrations,
): FeatureRegistration | Error {
  const { type, pluginId, init } = registration;
  const kind =
    type === 'plugin' || type === 'plugin-v1.1'
      ? 'plugin'
      : type === 'module' || type === 'module-v1.1'
        ? 'module'
        : undefined;
  if (!kind) {
    return new WiringError(
      'REGISTRATION_UNKNOWN_TYPE',
      `A feature ${origin} has a registration of unknown type ${JSON.stringify(type)}; this backend loads 'plugin-v1.1', 'module-v1.1', 'plugin' and 'module'.`,
    );
  }
  const moduleId =
    kind === 'module'
      ? (registration as { moduleId?: string }).moduleId
      : undefined;
  const label =
    kind === 'plugin'
      ? `plugin '${pluginId}'`
      : `module '${moduleId}' for plugin '${pluginId}'`;
  if (
    !init ||
    typeof init.func !== 'function' ||
    typeof init.deps !== 'object'
  ) {
    return new WiringError(
      'REGISTRATION_NO_INIT',
      `The ${label} (${origin}) has no init; its registration must provide init: { deps, func }.`,
    );
  }
  const extensionPoints = registration.extensionPoints.map(
    (entry): ExtensionPointRegistration => {
      if (!Array.isArray(entry)) {
        return entry as ExtensionPointRegistration;
      }
      const [extensionPoint, impl] =
        entry as LegacyFeatureRegistration['extensionPoints'][number];
      return { extensionPoint, factory: () => impl };
    },
  );
  const invalid = extensionPoints.find(
    e => !isExtensionPoint(e.extensionPoint),
  );
  if (invalid) {
    return new WiringError(
      'REGISTRATION_FOREIGN_EXTENSION_POINT',
      `The ${label} (${origin}) registers an extension point that was not made by createExtensionPoint().`,
    );
  }
  // Registrations of older protocol versions and of other engines may
  // carry no connections; they then declare none.
  const declared = (registration as { connections?: unknown }).connections;
  const connectionTypes = Array.isArray(declared)
    ? declared.flatMap((c: { type?: unknown } | null) =>
        typeof c?.type === 'string' ? [c.type] : [],
      )
    : [];
  return {
    kind,
    pluginId,
    moduleId,
    label,
    origin,
    feature,
    extensionPoints,
    connectionTypes,
    init,
  };
}
