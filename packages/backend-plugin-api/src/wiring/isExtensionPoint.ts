import type { ExtensionPoint } from './ExtensionPoint';

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
