import picomatch from 'picomatch';
import type { LocationSpec } from '@plinth/plugin-catalog-node';

/**
 * Whether a location's target names many files through a glob pattern
 * rather than one file.
 *
 * @remarks
 * A `url` target only counts its path: a `?` there starts the query, not a
 * pattern. A `file` target counts every glob syntax picomatch knows.
 *
 * @internal
 */
export function isGlobLocation(location: LocationSpec): boolean {
  if (location.type === 'url') {
    try {
      return new URL(location.target).pathname.includes('*');
    } catch {
      return false;
    }
  }
  return picomatch.scan(location.target).isGlob;
}
