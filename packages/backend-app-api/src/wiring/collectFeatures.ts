import { describeValue } from '@plinth/errors';
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
        InvalidFeatureError.failedToLoad(source, toError(result.reason)),
      );
      continue;
    }
    const value = unwrapDefault(result.value);
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
    return InvalidFeatureError.functionGiven(source, describeValue(value));
  }
  if (typeof feature !== 'object' || feature === null) {
    return InvalidFeatureError.notAFeature(source, describeValue(value));
  }
  if (feature.$$type !== '@backstage/BackendFeature') {
    return InvalidFeatureError.noDefaultExport(source, Object.keys(feature));
  }
  if (feature.version !== 'v1') {
    return InvalidFeatureError.unsupportedVersion(source, feature.version);
  }
  if (!featureTypes.includes(feature.featureType as string)) {
    return InvalidFeatureError.unknownType(source, feature.featureType);
  }
  return undefined;
}
