import { ForwardedError, InputError } from '@plinth/errors';
import { isServiceRef } from '../services/system/isServiceRef';
import { describeValue } from '@plinth/errors';
import type { ExtensionPointFactoryContext } from './ExtensionPoint';
import type {
  ExtensionPointRegistration,
  RegistrationInit,
} from './FeatureRegistrations';
import { isExtensionPoint } from './isExtensionPoint';
import type { BackendModuleRegistrationPoints } from './RegistrationPoints';

/**
 * Runs a plugin's or module's `register` callback and checks how it used the
 * registration points: extension points first, `registerInit` exactly once.
 *
 * @param owner - how the feature is named in errors, such as `plugin 'todo'`.
 */
export function collectRegistration(
  owner: string,
  register: (env: BackendModuleRegistrationPoints) => void,
): {
  extensionPoints: ExtensionPointRegistration[];
  init: RegistrationInit;
} {
  const extensionPoints: ExtensionPointRegistration[] = [];
  let init: RegistrationInit | undefined;

  const env: BackendModuleRegistrationPoints = {
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
            `The ${owner} lists deps.${name} as ${describeValue(dep)}; deps must be service refs (coreServices.x) or extension points.`,
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
  return { extensionPoints, init };
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
