import { InputError, redactUrl } from '@plinth/errors';

const EXAMPLE = 'url:https://github.com/acme/repo/blob/main/catalog-info.yaml';

/**
 * Parses a location ref, `<type>:<target>` as in the
 * `backstage.io/managed-by-location` annotation, into its type and target.
 *
 * @remarks
 * The first `:` splits the two, so targets may hold colons; both parts are
 * trimmed.
 *
 * @example
 * ```ts
 * parseLocationRef('url:https://example.com/catalog-info.yaml');
 * // { type: 'url', target: 'https://example.com/catalog-info.yaml' }
 * ```
 *
 * @throws InputError when the ref is not a string, has no `:`, has an empty
 * type or target, or is a bare `http(s)` address without the `url:` prefix.
 * @public
 */
export function parseLocationRef(ref: string): {
  type: string;
  target: string;
} {
  if (typeof ref !== 'string') {
    throw new InputError(
      `Location ref ${String(JSON.stringify(ref))} is not a string; write it as '<type>:<target>', e.g. '${EXAMPLE}'.`,
    );
  }
  const colon = ref.indexOf(':');
  if (colon === -1) {
    throw new InputError(
      `Location ref '${ref}' has no type; write it as '<type>:<target>', e.g. '${EXAMPLE}'.`,
    );
  }
  const type = ref.slice(0, colon).trim();
  const target = ref.slice(colon + 1).trim();
  if (type === 'http' || type === 'https') {
    throw new InputError(
      `Location ref '${ref}' is an address without a type; prefix it with 'url:', as in 'url:${ref}'.`,
    );
  }
  if (!type || !target) {
    throw new InputError(
      `Location ref '${ref}' has an empty ${type ? 'target' : 'type'}; write it as '<type>:<target>', e.g. '${EXAMPLE}'.`,
    );
  }
  return { type, target };
}

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
