import type { ServiceRef } from '../services/system/ServiceRef';
import type { BackendFeature } from './BackendFeature';
import type {
  ExtensionPoint,
  ExtensionPointFactoryContext,
} from './ExtensionPoint';

/**
 * An extension point implementation as registered by a plugin or module:
 * the factory is called once for each module that uses it.
 *
 * @internal
 */
export interface ExtensionPointRegistration {
  readonly extensionPoint: ExtensionPoint<unknown>;
  factory(context: ExtensionPointFactoryContext): unknown;
}

/**
 * The `init` part of a registration.
 *
 * @internal
 */
export interface RegistrationInit {
  readonly deps: {
    [name in string]: ServiceRef<unknown> | ExtensionPoint<unknown>;
  };
  func(deps: Record<string, unknown>): Promise<void>;
}

/**
 * A plugin's registration in the current protocol version.
 *
 * @internal
 */
export interface InternalPluginRegistration {
  readonly type: 'plugin-v1.1';
  readonly pluginId: string;
  readonly extensionPoints: ReadonlyArray<ExtensionPointRegistration>;
  readonly init: RegistrationInit;
}

/**
 * A module's registration in the current protocol version.
 *
 * @internal
 */
export interface InternalModuleRegistration {
  readonly type: 'module-v1.1';
  readonly pluginId: string;
  readonly moduleId: string;
  readonly extensionPoints: ReadonlyArray<ExtensionPointRegistration>;
  readonly init: RegistrationInit;
}

/**
 * A registration in the first protocol version, where extension points are
 * `[ref, implementation]` pairs. Still accepted so older features load.
 *
 * @internal
 */
export interface LegacyFeatureRegistration {
  readonly type: 'plugin' | 'module';
  readonly pluginId: string;
  readonly moduleId?: string;
  readonly extensionPoints: ReadonlyArray<
    readonly [ExtensionPoint<unknown>, unknown]
  >;
  readonly init: RegistrationInit;
}

/**
 * The plain-data form of a plugin or module, as returned by
 * `createBackendPlugin` and `createBackendModule`.
 *
 * @internal
 */
export interface InternalBackendRegistrations extends BackendFeature {
  readonly version: 'v1';
  readonly featureType: 'registrations';
  /** Where the feature was created, for error messages. */
  readonly description?: string;
  getRegistrations(): ReadonlyArray<
    | InternalPluginRegistration
    | InternalModuleRegistration
    | LegacyFeatureRegistration
  >;
}
