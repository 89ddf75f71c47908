import type { PackageManifest } from './Workspace';

const dependencyFields = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
] as const;

/**
 * Gives each third-party dependency of a new package the range the rest of
 * the repository uses for it (the most common one), so that the install
 * resolves from the lockfile and the repository keeps one version of it.
 * Dependencies the repository does not use keep the template's range.
 */
export function alignDependencyRanges(
  manifest: PackageManifest,
  others: readonly PackageManifest[],
): PackageManifest {
  const counts = new Map<string, Map<string, number>>();
  for (const other of others) {
    for (const field of dependencyFields) {
      for (const [name, range] of Object.entries(other[field] ?? {})) {
        if (range.startsWith('workspace:')) {
          continue;
        }
        const ranges = counts.get(name) ?? new Map<string, number>();
        ranges.set(range, (ranges.get(range) ?? 0) + 1);
        counts.set(name, ranges);
      }
    }
  }
  const aligned: PackageManifest = { ...manifest };
  for (const field of dependencyFields) {
    const deps = manifest[field];
    if (!deps) {
      continue;
    }
    aligned[field] = Object.fromEntries(
      Object.entries(deps).map(([name, range]) => {
        const used = counts.get(name);
        if (range.startsWith('workspace:') || !used) {
          return [name, range];
        }
        const [common] = [...used.entries()].sort((a, b) => b[1] - a[1])[0];
        return [name, common];
      }),
    );
  }
  return aligned;
}
