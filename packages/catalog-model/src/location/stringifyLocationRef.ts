import { InputError, redactUrl } from '@plinth/errors';

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

/**
 * A location, or a location ref, as messages and logs may show it: the
 * target of a `url` location without credentials, query values or
 * fragment (see `redactUrl` of `@plinth/errors`), since messages reach
 * logs and every caller of the catalog.
 *
 * @example
 * ```ts
 * describeLocationRef('url:https://u:p@example.com/a.yaml?token=abc');
 * // 'url:https://example.com/a.yaml?token=***'
 * ```
 * @public
 */
export function describeLocationRef(
  ref: { type: string; target: string } | string,
): string {
  const colon = typeof ref === 'string' ? ref.indexOf(':') : -1;
  const { type, target } =
    typeof ref !== 'string'
      ? ref
      : colon === -1
        ? { type: '', target: ref }
        : { type: ref.slice(0, colon), target: ref.slice(colon + 1) };
  if (type.trim() === 'url') {
    return `${type}:${redactUrl(target.trim())}`;
  }
  return typeof ref === 'string' ? ref : `${type}:${target}`;
}
