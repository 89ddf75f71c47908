import {
  isExtensionPoint,
  type ExtensionPointRegistration,
  type InternalBackendRegistrations,
  type InternalModuleRegistration,
  type InternalPluginRegistration,
  type LegacyFeatureRegistration,
} from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';
import { describeOrigin } from './describeOrigin';
import { InvalidFeatureError } from './errors/InvalidFeatureError';
import type { FeatureRegistration } from './FeatureRegistration';

type AnyRegistration =
  | InternalPluginRegistration
  | InternalModuleRegistration
  | LegacyFeatureRegistration;

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
          : InvalidFeatureError.registerFailed(origin, error),
      );
      continue;
    }
    for (const registration of raw) {
      const normalized = normalize(registration, origin);
      if (normalized instanceof Error) {
        problems.push(normalized);
      } else {
        registrations.push(normalized);
      }
    }
  }
  return { registrations, problems };
}

function normalize(
  registration: AnyRegistration,
  origin: string,
): FeatureRegistration | Error {
  const { type, pluginId, init } = registration;
  const kind =
    type === 'plugin' || type === 'plugin-v1.1'
      ? 'plugin'
      : type === 'module' || type === 'module-v1.1'
        ? 'module'
        : undefined;
  if (!kind) {
    return InvalidFeatureError.unknownRegistrationType(origin, type);
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
    return InvalidFeatureError.noInit(label, origin);
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
    return InvalidFeatureError.foreignExtensionPoint(label, origin);
  }
  return { kind, pluginId, moduleId, label, origin, extensionPoints, init };
}
