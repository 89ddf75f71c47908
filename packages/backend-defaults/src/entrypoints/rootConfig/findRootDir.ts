import fs from 'node:fs';
import path from 'node:path';

/**
 * The directory that holds `app-config.yaml`: the nearest ancestor of
 * `cwd` (or `cwd` itself) whose `package.json` declares `workspaces`, or
 * `cwd` when there is none, as when the backend runs outside a monorepo.
 *
 * @example
 * ```ts
 * const rootDir = findRootDir(process.cwd());
 * ```
 * @public
 */
export function findRootDir(cwd: string): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (hasWorkspaces(path.join(dir, 'package.json'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return path.resolve(cwd);
    }
    dir = parent;
  }
}

function hasWorkspaces(file: string): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return (
      typeof manifest === 'object' &&
      manifest !== null &&
      'workspaces' in manifest
    );
  } catch {
    // No package.json here, or one that is not JSON: not a root.
    return false;
  }
}
