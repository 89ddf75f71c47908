import fs from 'node:fs';
import path from 'node:path';

/** The repository root. */
export const repositoryRoot = path.resolve(__dirname, '../..');

/** A workspace package as the repository tests see it. */
export interface WorkspacePackage {
  /** Such as `packages/backend-app-api`. */
  dir: string;
  name: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** Every workspace package under packages/ and plugins/. */
export function readWorkspacePackages(): WorkspacePackage[] {
  return ['packages', 'plugins'].flatMap(parent => {
    const parentDir = path.join(repositoryRoot, parent);
    if (!fs.existsSync(parentDir)) {
      return [];
    }
    return fs
      .readdirSync(parentDir)
      .filter(name => fs.existsSync(path.join(parentDir, name, 'package.json')))
      .map(name => {
        const manifest = JSON.parse(
          fs.readFileSync(path.join(parentDir, name, 'package.json'), 'utf8'),
        ) as Partial<WorkspacePackage>;
        return {
          dir: `${parent}/${name}`,
          name: manifest.name!,
          dependencies: manifest.dependencies ?? {},
          peerDependencies: manifest.peerDependencies ?? {},
          devDependencies: manifest.devDependencies ?? {},
        };
      });
  });
}

/**
 * The non-test TypeScript source files of a package, relative to the root.
 * `*.fixture.ts` files are test support that only tests import.
 */
export function listSourceFiles(packageDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(repositoryRoot, dir), {
      withFileTypes: true,
    })) {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        walk(relative);
      } else if (
        entry.name.endsWith('.ts') &&
        !entry.name.endsWith('.test.ts') &&
        !entry.name.endsWith('.fixture.ts')
      ) {
        files.push(relative);
      }
    }
  };
  if (fs.existsSync(path.join(repositoryRoot, packageDir, 'src'))) {
    walk(`${packageDir}/src`);
  }
  return files;
}
