import { assertValidId, withTypeCarrier } from './identity';

/**
 * A typed handle for an extension point: the interface a plugin offers to
 * its modules.
 *
 * @public
 */
export interface ExtensionPoint<T> {
  readonly $$type: '@backstage/ExtensionPoint';
  readonly id: string;
  /** Type carrier only; reading it at run time throws. */
  readonly T: T;
  toString(): string;
}

/**
 * Handed to an extension point factory, once for each module that uses the
 * extension point.
 *
 * @public
 */
export interface ExtensionPointFactoryContext {
  /**
   * Marks the module as failed to start, for errors that surface only when
   * the plugin acts on what the module registered. The backend's boot
   * failure policy decides whether the backend still starts.
   */
  reportModuleStartupFailure(options: { error: Error }): void;
}

/**
 * Options for {@link createExtensionPoint}.
 *
 * @public
 */
export interface CreateExtensionPointOptions {
  /** Unique id, by convention `<pluginId>.<name>`, such as `catalog.processing`. */
  id: string;
}

/**
 * Creates the handle for an extension point, which a plugin registers with
 * `registerExtensionPoint` and its modules list in `deps`.
 *
 * @example
 * ```ts
 * export const examplesExtensionPoint =
 *   createExtensionPoint<ExamplesExtensionPoint>({ id: 'example.examples' });
 * ```
 * @throws {@link @plinth/errors#InputError} when the id is invalid.
 * @public
 */
export function createExtensionPoint<T>(
  options: CreateExtensionPointOptions,
): ExtensionPoint<T> {
  const id = options?.id;
  assertValidId('createExtensionPoint', 'extension point id', id);
  const extensionPoint = {
    $$type: '@backstage/ExtensionPoint' as const,
    id,
    toString() {
      return `extensionPoint{${id}}`;
    },
  };
  return withTypeCarrier(
    extensionPoint,
    `ExtensionPoint.T is a type carrier for '${id}', not a value.`,
  );
}

/**
 * Tells whether a value is an extension point handle, from this or any
 * other copy of the API package.
 *
 * @internal
 */
export function isExtensionPoint(
  value: unknown,
): value is ExtensionPoint<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { $$type?: unknown }).$$type === '@backstage/ExtensionPoint' &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}
