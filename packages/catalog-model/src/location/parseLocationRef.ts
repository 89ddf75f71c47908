import { InputError } from '@plinth/errors';

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
