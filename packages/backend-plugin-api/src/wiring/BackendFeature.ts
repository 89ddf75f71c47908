import type {
  ServiceRef,
  ServiceRefsToInstances,
} from '../services/createServiceRef';
import type { ConnectionRegistration } from '../services/definitions/ConnectionsService';
import type {
  ExtensionPoint,
  ExtensionPointFactoryContext,
} from './createExtensionPoint';

/**
 * Anything that can be added to a backend with `backend.add()`: a plugin, a
 * module, a service factory or a feature loader.
 *
 * @remarks
 * Features are plain data tagged with `$$type`, so that a backend recognises
 * features built against any copy or version of this package.
 *
 * @public
 */
export interface BackendFeature {
  readonly $$type: '@backstage/BackendFeature';
}

/**
 * Unwraps the module objects around a feature: `import()` of an ES module
 * gives `{ default: feature }`, and `import()` of a CommonJS module from
 * ES code gives `{ default: { default: feature } }`, so up to two `default`
 * layers are removed, stopping at the first value tagged as a feature.
 * Anything else is returned as it is, for the caller to check.
 *
 * @internal
 */
export function unwrapFeature(value: unknown): unknown {
  let current = value;
  for (let layer = 0; layer < 2; layer++) {
    if (
      (typeof current !== 'object' && typeof current !== 'function') ||
      current === null ||
      '$$type' in current ||
      !('default' in current)
    ) {
      break;
    }
    current = current.default;
  }
  return current;
}

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
  /** The connection types declared with `declareConnection`. */
  readonly connections?: ReadonlyArray<ConnectionRegistration>;
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
  /** The connection types declared with `declareConnection`. */
  readonly connections?: ReadonlyArray<ConnectionRegistration>;
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

/**
 * Resolves `deps` that may mix service refs and extension points.
 *
 * @public
 */
export type DepsToInstances<
  TDeps extends {
    [name in string]: ServiceRef<unknown> | ExtensionPoint<unknown>;
  },
> = {
  [name in keyof TDeps]: TDeps[name] extends ServiceRef<unknown>
    ? ServiceRefsToInstances<{ dep: TDeps[name] }>['dep']
    : TDeps[name] extends ExtensionPoint<infer TImpl>
      ? TImpl
      : never;
};

/**
 * Registers an extension point implementation, either the implementation
 * itself or a factory called once for each module that uses it.
 *
 * @public
 */
export interface RegisterExtensionPoint {
  <TExtensionPoint>(
    ref: ExtensionPoint<TExtensionPoint>,
    impl: TExtensionPoint,
  ): void;
  <TExtensionPoint>(options: {
    extensionPoint: ExtensionPoint<TExtensionPoint>;
    factory(context: ExtensionPointFactoryContext): TExtensionPoint;
  }): void;
}

/**
 * What a plugin's `register` receives.
 *
 * @public
 */
export interface BackendPluginRegistrationPoints {
  /** Offers an extension point to this plugin's modules; call before `registerInit`. */
  registerExtensionPoint: RegisterExtensionPoint;
  /** Declares the services the plugin needs and its init function; call exactly once. */
  registerInit<
    TDeps extends { [name in string]: ServiceRef<unknown> },
  >(options: {
    deps: TDeps;
    init(deps: ServiceRefsToInstances<TDeps>): Promise<void>;
  }): void;
}

/**
 * What a module's `register` receives.
 *
 * @public
 */
export interface BackendModuleRegistrationPoints {
  /** Offers an extension point to other modules of the same plugin; call before `registerInit`. */
  registerExtensionPoint: RegisterExtensionPoint;
  /** Declares the services and extension points the module needs and its init function; call exactly once. */
  registerInit<
    TDeps extends {
      [name in string]: ServiceRef<unknown> | ExtensionPoint<unknown>;
    },
  >(options: {
    deps: TDeps;
    init(deps: DepsToInstances<TDeps>): Promise<void>;
  }): void;
}
