import { describeValue, ForwardedError, InputError } from '@plinth/errors';
import { isServiceRef } from '../services/createServiceRef';
import { describeInvalidDep } from '../services/describeInvalidDep';
import type { ConnectionRegistration } from '../services/definitions/ConnectionsService';
import type {
  BackendFeature,
  BackendModuleRegistrationPoints,
  BackendPluginRegistrationPoints,
  ExtensionPointRegistration,
  InternalBackendRegistrations,
  RegistrationInit,
} from './BackendFeature';
import {
  isExtensionPoint,
  type ExtensionPointFactoryContext,
} from './createExtensionPoint';
import type { RegisterConnectionPoint } from './declareConnection';
import { assertValidId, describeCallSite } from './identity';

/**
 * Options for {@link createBackendPlugin}.
 *
 * @public
 */
export interface CreateBackendPluginOptions {
  /** The plugin id; its routes are served under `/api/<pluginId>`. */
  pluginId: string;
  /**
   * Declares the plugin's extension points and init. Called once for each
   * backend the plugin is added to, so state created here is per backend.
   */
  register(env: BackendPluginRegistrationPoints): void;
}

/**
 * Creates a backend plugin: a feature with its own id, services and routes.
 *
 * @example
 * ```ts
 * export const examplePlugin = createBackendPlugin({
 *   pluginId: 'example',
 *   register(env) {
 *     env.registerInit({
 *       deps: { logger: coreServices.logger, httpRouter: coreServices.httpRouter },
 *       async init({ logger, httpRouter }) {
 *         httpRouter.use(createExampleRouter(logger));
 *       },
 *     });
 *   },
 * });
 * ```
 * @throws {@link @plinth/errors#InputError} when the id or register option is invalid.
 * @public
 */
export function createBackendPlugin(
  options: CreateBackendPluginOptions,
): BackendFeature {
  const pluginId = options?.pluginId;
  assertValidId('createBackendPlugin', 'plugin id', pluginId);
  const register = options.register;
  if (typeof register !== 'function') {
    throw new InputError(
      `createBackendPlugin() for plugin '${pluginId}' needs a register function, got ${describeValue(register)}.`,
    );
  }
  const feature: InternalBackendRegistrations = {
    $$type: '@backstage/BackendFeature',
    version: 'v1',
    featureType: 'registrations',
    description: describeCallSite(1),
    getRegistrations() {
      const { extensionPoints, connections, init } = collectRegistration(
        `plugin '${pluginId}'`,
        register as never,
      );
      return [
        { type: 'plugin-v1.1', pluginId, extensionPoints, connections, init },
      ];
    },
  };
  return feature;
}

/**
 * Options for {@link createBackendModule}.
 *
 * @public
 */
export interface CreateBackendModuleOptions {
  /** The id of the plugin this module extends. */
  pluginId: string;
  /** The module id, unique among the modules of its plugin. */
  moduleId: string;
  /**
   * Declares the module's extension points and init. Called once for each
   * backend the module is added to.
   */
  register(env: BackendModuleRegistrationPoints): void;
}

/**
 * Creates a backend module: a feature that extends one plugin through its
 * extension points and receives that plugin's plugin-scoped services.
 *
 * @example
 * ```ts
 * export const catalogModuleExample = createBackendModule({
 *   pluginId: 'catalog',
 *   moduleId: 'example',
 *   register(env) {
 *     env.registerInit({
 *       deps: { catalog: catalogProcessingExtensionPoint, logger: coreServices.logger },
 *       async init({ catalog, logger }) {
 *         catalog.addProcessor(new ExampleProcessor(logger));
 *       },
 *     });
 *   },
 * });
 * ```
 * @throws {@link @plinth/errors#InputError} when an id or the register option is invalid.
 * @public
 */
export function createBackendModule(
  options: CreateBackendModuleOptions,
): BackendFeature {
  const { pluginId, moduleId, register } = options ?? {};
  assertValidId('createBackendModule', 'plugin id', pluginId);
  assertValidId('createBackendModule', 'module id', moduleId);
  if (typeof register !== 'function') {
    throw new InputError(
      `createBackendModule() for module '${moduleId}' of plugin '${pluginId}' needs a register function, got ${describeValue(register)}.`,
    );
  }
  const feature: InternalBackendRegistrations = {
    $$type: '@backstage/BackendFeature',
    version: 'v1',
    featureType: 'registrations',
    description: describeCallSite(1),
    getRegistrations() {
      const { extensionPoints, connections, init } = collectRegistration(
        `module '${moduleId}' for plugin '${pluginId}'`,
        register,
      );
      return [
        {
          type: 'module-v1.1',
          pluginId,
          moduleId,
          extensionPoints,
          connections,
          init,
        },
      ];
    },
  };
  return feature;
}

/**
 * Runs a plugin's or module's `register` callback and checks how it used the
 * registration points: extension points and connections first,
 * `registerInit` exactly once.
 *
 * @param owner - how the feature is named in errors, such as `plugin 'todo'`.
 */
export function collectRegistration(
  owner: string,
  register: (env: BackendModuleRegistrationPoints) => void,
): {
  extensionPoints: ExtensionPointRegistration[];
  connections: ConnectionRegistration[];
  init: RegistrationInit;
} {
  const extensionPoints: ExtensionPointRegistration[] = [];
  const connections: ConnectionRegistration[] = [];
  let init: RegistrationInit | undefined;

  // registerConnection is not on the public registration points type, as in
  // Backstage: features reach it through declareConnection, which checks
  // that the backend supports it.
  const env: BackendModuleRegistrationPoints & RegisterConnectionPoint = {
    registerConnection(registration) {
      if (init) {
        throw new InputError(
          `The ${owner} called declareConnection after registerInit; declare connections first.`,
        );
      }
      const type = registration?.type;
      if (typeof type !== 'string' || type === '') {
        throw new InputError(
          `The ${owner} declared a connection whose type is ${describeValue(type)}; pass { type: '<connection type>' }, such as { type: 'github' }.`,
        );
      }
      if (connections.some(c => c.type === type)) {
        throw new InputError(
          `The ${owner} declared connection type '${type}' twice; declare each connection type once.`,
        );
      }
      connections.push({ ...registration });
    },
    registerExtensionPoint(refOrOptions: unknown, impl?: unknown) {
      if (init) {
        throw new InputError(
          `The ${owner} called registerExtensionPoint after registerInit; register extension points first so that modules can use them.`,
        );
      }
      const registration = toExtensionPointRegistration(
        owner,
        refOrOptions,
        impl,
      );
      const id = registration.extensionPoint.id;
      if (extensionPoints.some(r => r.extensionPoint.id === id)) {
        throw new InputError(
          `The ${owner} registered extension point '${id}' twice; register each extension point once.`,
        );
      }
      extensionPoints.push(registration);
    },
    registerInit(options) {
      if (init) {
        throw new InputError(
          `The ${owner} called registerInit more than once; a feature has exactly one init, so merge them.`,
        );
      }
      const { deps, init: func } = options ?? {};
      if (typeof deps !== 'object' || deps === null || Array.isArray(deps)) {
        throw new InputError(
          `The ${owner} passed registerInit a deps value that is ${describeValue(deps)}; use an object of service refs, or {} when it needs nothing.`,
        );
      }
      for (const [name, dep] of Object.entries(deps)) {
        if (!isServiceRef(dep) && !isExtensionPoint(dep)) {
          throw new InputError(
            `The ${owner} lists ${describeInvalidDep(name, dep)}; deps must be service refs (coreServices.x) or extension points.`,
          );
        }
      }
      if (typeof func !== 'function') {
        throw new InputError(
          `The ${owner} passed registerInit an init that is ${describeValue(func)}; it must be an async function.`,
        );
      }
      init = { deps, func: async resolved => func(resolved as never) };
    },
  };
  try {
    register(env);
  } catch (error) {
    // Our own checks above already name the feature; anything else is the
    // register function's own failure, which needs the name added.
    if (error instanceof InputError) {
      throw error;
    }
    throw new ForwardedError(
      `The ${owner} threw in its register function`,
      error,
    );
  }

  if (!init) {
    throw new InputError(
      `The ${owner} never called registerInit in its register function; call env.registerInit({ deps, init }) exactly once.`,
    );
  }
  return { extensionPoints, connections, init };
}

function toExtensionPointRegistration(
  owner: string,
  refOrOptions: unknown,
  impl: unknown,
): ExtensionPointRegistration {
  if (isExtensionPoint(refOrOptions)) {
    return { extensionPoint: refOrOptions, factory: () => impl };
  }
  const options = refOrOptions as {
    extensionPoint?: unknown;
    factory?: unknown;
  } | null;
  if (
    options &&
    isExtensionPoint(options.extensionPoint) &&
    typeof options.factory === 'function'
  ) {
    const factory = options.factory as (
      context: ExtensionPointFactoryContext,
    ) => unknown;
    return { extensionPoint: options.extensionPoint, factory };
  }
  throw new InputError(
    `The ${owner} called registerExtensionPoint with ${describeValue(refOrOptions)}; pass an extension point from createExtensionPoint() and its implementation, or { extensionPoint, factory }.`,
  );
}
