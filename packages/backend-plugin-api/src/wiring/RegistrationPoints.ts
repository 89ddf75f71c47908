import type {
  ServiceRef,
  ServiceRefsToInstances,
} from '../services/system/ServiceRef';
import type {
  ExtensionPoint,
  ExtensionPointFactoryContext,
} from './ExtensionPoint';

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
