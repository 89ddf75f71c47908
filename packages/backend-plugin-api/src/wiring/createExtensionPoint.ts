import { assertValidId } from './assertValidId';
import type { ExtensionPoint } from './ExtensionPoint';
import { withTypeCarrier } from './withTypeCarrier';

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
