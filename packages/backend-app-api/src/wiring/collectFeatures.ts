import { describeValue } from '@plinth/backend-plugin-api';
import type {
  InternalBackendFeatureLoader,
  InternalBackendRegistrations,
  InternalServiceFactory,
} from '@plinth/backend-plugin-api';
import { toError } from '@plinth/errors';

import { InvalidFeatureError } from './errors/InvalidFeatureError';

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
 * Waits for features given as promises or dynamic imports, unwraps default
 * exports, and sorts them by kind. Anything that is not a feature becomes a
 * problem that says what was given and what was expected.
 *
 * @param source - where the values came from, such as `backend.add()`.
 */
export async function collectFeatures(
  values: readonly unknown[],
  source: string,
): Promise<{ features: CollectedFeatures; problems: Error[] }> {
  const features: CollectedFeatures = {
    serviceFactories: [],
    registrations: [],
    loaders: [],
  };
  const problems: Error[] = [];
  const settled = await Promise.allSettled(values.map(v => Promise.resolve(v)));
  for (const result of settled) {
    if (result.status === 'rejected') {
      problems.push(
        new InvalidFeatureError(
          `A feature passed to ${source} failed to load.`,
          toError(result.reason),
        ),
      );
      continue;
    }
    const problem = checkFeature(unwrapDefault(result.value), source);
    if (problem) {
      problems.push(problem);
      continue;
    }
    const feature = unwrapDefault(result.value) as { featureType: string };
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

function unwrapDefault(value: unknown): unknown {
  if (
    typeof value === 'object' &&
    value !== null &&
    !('$$type' in value) &&
    'default' in value
  ) {
    return value.default;
  }
  return value;
}

function checkFeature(value: unknown, source: string): Error | undefined {
  const feature = value as {
    $$type?: unknown;
    version?: unknown;
    featureType?: unknown;
  } | null;
  if (typeof value === 'function') {
    return new InvalidFeatureError(
      `${source} received ${describeValue(value)} instead of a feature; pass the feature itself, for example the result of createBackendPlugin(), not a function that makes one.`,
    );
  }
  if (typeof feature !== 'object' || feature === null) {
    return new InvalidFeatureError(
      `${source} received ${describeValue(value)}, which is not a backend feature; pass the result of createBackendPlugin(), createBackendModule(), createServiceFactory() or createBackendFeatureLoader(), or import() of a module whose default export is one.`,
    );
  }
  if (feature.$$type !== '@backstage/BackendFeature') {
    const exportsList = Object.keys(feature)
      .map(key => `'${key}'`)
      .join(', ');
    return new InvalidFeatureError(
      `${source} received an object that is not a backend feature and has no default export (its keys: ${exportsList || 'none'}); export the feature as default, or pass the feature itself.`,
    );
  }
  if (feature.version !== 'v1') {
    return new InvalidFeatureError(
      `${source} received a feature of version ${JSON.stringify(feature.version)}, which this backend does not support; it loads version 'v1'. Align the versions of @plinth/backend-plugin-api and @plinth/backend-app-api.`,
    );
  }
  if (!featureTypes.includes(feature.featureType as string)) {
    return new InvalidFeatureError(
      `${source} received a feature of unknown type ${JSON.stringify(feature.featureType)}; this backend loads 'service', 'registrations' and 'loader' features.`,
    );
  }
  return undefined;
}
