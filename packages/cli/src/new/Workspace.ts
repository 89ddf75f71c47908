import fs from 'node:fs';
import path from 'node:path';
import { NewCommandError } from '../errors';

/** The manifest fields `yarn new` reads. */
export interface PackageManifest {
  name?: string;
  workspaces?: string[] | { packages?: string[] };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** A workspace package, with its folder relative to the root. */
export interface WorkspacePackage {
  dir: string;
  manifest: PackageManifest;
}

/**
 * The repository `yarn new` adds packages to: its root, its workspace
 * globs and the packages they hold, read once per command.
 */
export class Workspace {
  #packages: WorkspacePackage[] | undefined;

  private constructor(
    readonly root: string,
    readonly rootManifest: PackageManifest,
    readonly patterns: readonly string[],
  ) {}

  /**
   * The workspace root at or above `cwd`: the nearest folder whose
   * package.json declares `workspaces`.
   * @throws NewCommandError `NEW_NO_WORKSPACE` when there is none.
   */
  static find(cwd: string): Workspace {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
      const manifest = readManifest(path.join(dir, 'package.json'));
      const workspaces = manifest?.workspaces;
      if (workspaces) {
        const patterns = Array.isArray(workspaces)
          ? workspaces
          : (workspaces.packages ?? []);
        return new Workspace(dir, manifest, patterns);
      }
      if (path.dirname(dir) === dir) {
        throw new NewCommandError(
          'NEW_NO_WORKSPACE',
          `No Yarn workspace root at or above '${path.resolve(cwd)}': yarn new adds packages to a repository whose package.json declares 'workspaces'. Run it inside the Plinth repository.`,
        );
      }
    }
  }

  /** Whether one of the workspace globs covers `dir` (relative to the root). */
  covers(dir: string): boolean {
    return this.patterns.some(pattern => globToRegExp(pattern).test(dir));
  }

  /**
   * Every package the workspace globs cover, as they were when first
   * asked for: the checks of one command all see the same packages.
   */
  packages(): WorkspacePackage[] {
    this.#packages ??= this.#readPackages();
    return this.#packages;
  }

  #readPackages(): WorkspacePackage[] {
    const found: WorkspacePackage[] = [];
    const parents = new Set(
      this.patterns
        .filter(pattern => pattern.endsWith('/*'))
        .map(pattern => pattern.slice(0, -2)),
    );
    for (const parent of parents) {
      const parentDir = path.join(this.root, parent);
      if (!fs.existsSync(parentDir)) {
        continue;
      }
      // Hidden folders are no packages, such as a staging folder a killed
      // yarn new left behind.
      const names = fs.readdirSync(parentDir).filter(n => !n.startsWith('.'));
      for (const name of names.sort()) {
        const dir = `${parent}/${name}`;
        const manifest = readManifest(
          path.join(this.root, dir, 'package.json'),
        );
        if (manifest && this.covers(dir)) {
          found.push({ dir, manifest });
        }
      }
    }
    return found;
  }

  /** The absolute path of `dir`, relative to the root. */
  resolve(dir: string): string {
    return path.join(this.root, dir);
  }
}

/** @throws NewCommandError `NEW_INVALID_MANIFEST` naming the file when it is not valid JSON. */
function readManifest(file: string): PackageManifest | undefined {
  if (!fs.existsSync(file)) {
    return undefined;
  }
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PackageManifest;
  } catch (error) {
    throw new NewCommandError(
      'NEW_INVALID_MANIFEST',
      `Cannot read ${file}: it is not valid JSON (${(error as Error).message}). Fix it; yarn new reads every workspace package.json to check names and versions.`,
      error,
    );
  }
}

/** Yarn workspace globs as used here: `*` matches within one folder name. */
function globToRegExp(pattern: string): RegExp {
  const source = pattern
    .replace(/\/+$/, '')
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`^${source}$`);
}
