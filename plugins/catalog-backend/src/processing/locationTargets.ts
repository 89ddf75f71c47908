import path from 'node:path';
import { describeLocationRef } from '@plinth/catalog-model';
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

/**
 * Why a target of a Location entity cannot be read, as the rest of a
 * sentence after the entity, or `undefined`. A `file` target is read from
 * this server's disk, so only an entity that was itself read from a file
 * (and so, at the root, from a file location in config) may name one: an
 * entity from a URL, whoever registered it, never leads to local files.
 */
export function findTargetProblem(
  base: LocationSpec,
  type: string,
  written: string,
): string | undefined {
  if (type !== 'file') {
    return undefined;
  }
  if (base.type !== 'file') {
    return `from '${describeLocationRef(base)}' has the file target '${written}', but only entities read from file locations may name files, so that no location from outside the config leads to this server's disk; use a 'url' target`;
  }
  if (/[\\/]$/.test(written)) {
    return `has the file target '${written}', which names a folder; point it at a file, or at files with a glob such as '${written}*.yaml'`;
  }
  return undefined;
}
