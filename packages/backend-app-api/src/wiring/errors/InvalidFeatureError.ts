import { CustomErrorBase } from '@plinth/errors';

/**
 * A value passed to `backend.add()` or yielded by a feature loader is not a
 * feature this backend can load, a feature's registration is malformed, or
 * a loader or a ref's default factory failed.
 *
 * @public
 */
export class InvalidFeatureError extends CustomErrorBase {
  readonly name = 'InvalidFeatureError' as const;

  /** A promise given as a feature rejected, typically a failed `import()`. */
  static failedToLoad(source: string, cause: unknown): InvalidFeatureError {
    return new InvalidFeatureError(
      `A feature passed to ${source} failed to load.`,
      cause,
    );
  }

  /** A function was given where a feature was expected. */
  static functionGiven(source: string, value: string): InvalidFeatureError {
    return new InvalidFeatureError(
      `${source} received ${value} instead of a feature; pass the feature itself, for example the result of createBackendPlugin(), not a function that makes one.`,
    );
  }

  /** A value that is not an object was given where a feature was expected. */
  static notAFeature(source: string, value: string): InvalidFeatureError {
    return new InvalidFeatureError(
      `${source} received ${value}, which is not a backend feature; pass the result of createBackendPlugin(), createBackendModule(), createServiceFactory() or createBackendFeatureLoader(), or import() of a module whose default export is one.`,
    );
  }

  /** An imported module without a default export was given. */
  static noDefaultExport(
    source: string,
    keys: readonly string[],
  ): InvalidFeatureError {
    const listed = keys.map(key => `'${key}'`).join(', ') || 'none';
    return new InvalidFeatureError(
      `${source} received an object that is not a backend feature and has no default export (its keys: ${listed}); export the feature as default, or pass the feature itself.`,
    );
  }

  /** A feature of a protocol version this backend does not load. */
  static unsupportedVersion(
    source: string,
    version: unknown,
  ): InvalidFeatureError {
    return new InvalidFeatureError(
      `${source} received a feature of version ${JSON.stringify(version)}, which this backend does not support; it loads version 'v1'. Align the versions of @plinth/backend-plugin-api and @plinth/backend-app-api.`,
    );
  }

  /** A feature whose `featureType` is not one this backend loads. */
  static unknownType(
    source: string,
    featureType: unknown,
  ): InvalidFeatureError {
    return new InvalidFeatureError(
      `${source} received a feature of unknown type ${JSON.stringify(featureType)}; this backend loads 'service', 'registrations' and 'loader' features.`,
    );
  }

  /** A feature's `getRegistrations` threw something that is not an error. */
  static registerFailed(origin: string, cause: unknown): InvalidFeatureError {
    return new InvalidFeatureError(
      `A feature ${origin} failed to register.`,
      cause,
    );
  }

  /** A registration of a type this backend does not load. */
  static unknownRegistrationType(
    origin: string,
    type: unknown,
  ): InvalidFeatureError {
    return new InvalidFeatureError(
      `A feature ${origin} has a registration of unknown type ${JSON.stringify(type)}; this backend loads 'plugin-v1.1', 'module-v1.1', 'plugin' and 'module'.`,
    );
  }

  /** A registration without `init`. */
  static noInit(label: string, origin: string): InvalidFeatureError {
    return new InvalidFeatureError(
      `The ${label} (${origin}) has no init; its registration must provide init: { deps, func }.`,
    );
  }

  /** A registration whose extension point is not an extension point handle. */
  static foreignExtensionPoint(
    label: string,
    origin: string,
  ): InvalidFeatureError {
    return new InvalidFeatureError(
      `The ${label} (${origin}) registers an extension point that was not made by createExtensionPoint().`,
    );
  }

  /** A feature loader threw. */
  static loaderFailed(loader: string, cause: unknown): InvalidFeatureError {
    return new InvalidFeatureError(`The ${loader} failed.`, cause);
  }

  /** A loader provided a factory for a service an earlier loader already used. */
  static factoryTooLate(
    serviceId: string,
    origin: string,
  ): InvalidFeatureError {
    return new InvalidFeatureError(
      `Service '${serviceId}' got a factory (${origin}) from a feature loader after the service was already created for another loader; add that factory with backend.add() instead.`,
    );
  }

  /** A ref's `defaultFactory` threw or rejected. */
  static defaultFactoryFailed(
    ref: string,
    cause: unknown,
  ): InvalidFeatureError {
    return new InvalidFeatureError(
      `The defaultFactory of ${ref} failed.`,
      cause,
    );
  }

  /** A ref's `defaultFactory` gave something other than a factory for that ref. */
  static defaultFactoryMismatch(
    ref: string,
    refId: string,
    got: string,
  ): InvalidFeatureError {
    return new InvalidFeatureError(
      `The defaultFactory of ${ref} returned ${got}; it must return a factory for '${refId}', made with createServiceFactory({ service, ... }).`,
    );
  }

  private constructor(message: string, cause?: unknown) {
    super(message, cause);
  }
}
