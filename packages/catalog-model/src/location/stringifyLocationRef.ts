import { InputError } from '@plinth/errors';

/**
 * Writes a location as a location ref, `<type>:<target>`, the form of the
 * `backstage.io/managed-by-location` annotation.
 *
 * @example
 * ```ts
 * stringifyLocationRef({ type: 'url', target: 'https://example.com/a.yaml' });
 * // 'url:https://example.com/a.yaml'
 * ```
 *
 * @throws InputError when the type or the target is empty.
 * @public
 */
export function stringifyLocationRef(ref: {
  type: string;
  target: string;
}): string {
  for (const part of ['type', 'target'] as const) {
    if (!ref[part]) {
      throw new InputError(
        `Location ${JSON.stringify(ref)} has an empty ${part}; give both a type and a target, e.g. { type: 'url', target: 'https://example.com/catalog-info.yaml' }.`,
      );
    }
  }
  return `${ref.type}:${ref.target}`;
}
