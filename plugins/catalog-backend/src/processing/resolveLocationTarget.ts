import path from 'node:path';
import { InputError, redactUrl } from '@plinth/errors';
import type { LocationSpec } from '@plinth/plugin-catalog-node';

/**
 * Resolves a target of a Location entity against the location the entity
 * was read from, when both have the same type: a relative file path
 * against the file's folder, a relative URL against the URL. Targets of
 * another type, and absolute ones, are returned as written.
 *
 * @throws {@link @plinth/errors#InputError} when a `url` target cannot be
 *   resolved against its base.
 */
export function resolveLocationTarget(
  base: LocationSpec,
  type: string,
  target: string,
): string {
  if (type !== base.type) {
    return target;
  }
  if (type === 'file') {
    return path.resolve(path.dirname(base.target), target);
  }
  if (type === 'url') {
    try {
      return new URL(target, base.target).toString();
    } catch {
      throw new InputError(
        `Cannot resolve the url target '${redactUrl(target)}' against '${redactUrl(base.target)}': neither is an absolute URL. Write the target as an absolute URL.`,
      );
    }
  }
  return target;
}
