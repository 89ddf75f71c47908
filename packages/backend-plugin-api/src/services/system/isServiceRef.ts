import type { ServiceRef } from './ServiceRef';

/**
 * Tells whether a value is a service ref, from this or any other copy of
 * the API package.
 *
 * @internal
 */
export function isServiceRef(value: unknown): value is ServiceRef<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { $$type?: unknown }).$$type === '@backstage/ServiceRef' &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}
