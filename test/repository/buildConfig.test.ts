import fs from 'node:fs';
import path from 'node:path';
import { readWorkspacePackages, repositoryRoot } from './workspacePackages';

// In the repository a package's main, types, exports and typesVersions
// point at src/*.ts, so tsc, Jest and sucrase read sources; its
// publishConfig says where the same entry points are in dist/, and
// `yarn build:backend` writes that into the built copy. These checks keep
// the two in step, and keep every package compiled by `yarn build`.

interface Manifest {
  name: string;
  main?: string;
  types?: string;
  exports?: Record<string, string>;
  typesVersions?: Record<string, Record<string, string[]>>;
  files?: string[];
  publishConfig?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const packages = readWorkspacePackages();

function readJson<T>(file: string): T {
  return JSON.parse(
    fs.readFileSync(path.join(repositoryRoot, file), 'utf8'),
  ) as T;
}

/** Maps `src/a/b.ts` to `dist/a/b.js` or `dist/a/b.d.ts`, keeping a leading `./`. */
function toDist(file: string, extension: 'js' | 'd.ts'): string {
  return file
    .replace(/^(\.\/)?src\//, '$1dist/')
    .replace(/\.ts$/, `.${extension}`);
}

/** The publishConfig that a package's development entry points call for. */
function expectedPublishConfig(manifest: Manifest): Record<string, unknown> {
  return {
    main: toDist(manifest.main ?? 'src/index.ts', 'js'),
    types: toDist(manifest.types ?? 'src/index.ts', 'd.ts'),
    ...(manifest.exports && {
      exports: Object.fromEntries(
        Object.entries(manifest.exports).map(([subpath, file]) => [
          subpath,
          file.endsWith('.ts') ? toDist(file, 'js') : file,
        ]),
      ),
    }),
    ...(manifest.typesVersions && {
      typesVersions: Object.fromEntries(
        Object.entries(manifest.typesVersions).map(([range, paths]) => [
          range,
          Object.fromEntries(
            Object.entries(paths).map(([subpath, files]) => [
              subpath,
              files.map(file => toDist(file, 'd.ts')),
            ]),
          ),
        ]),
      ),
    }),
  };
}

describe('the build setup of the workspace packages', () => {
  it.each(packages.map(p => p.dir))(
    'gives %s a publishConfig with the same entry points in dist/',
    dir => {
      const manifest = readJson<Manifest>(`${dir}/package.json`);
      expect(manifest.main).toMatch(/^src\/.*\.ts$/);
      expect(manifest.publishConfig).toEqual(expectedPublishConfig(manifest));
    },
  );

  it.each(packages.map(p => p.dir))(
    'ships the dist/ of %s, not its sources',
    dir => {
      const files = readJson<Manifest>(`${dir}/package.json`).files ?? [];
      expect(files).toContain('dist');
      expect(files.filter(file => /^!?src\b/.test(file))).toEqual([]);
    },
  );

  it.each(packages.map(p => p.dir))(
    'compiles %s with tsconfig.build.json, referencing the workspace packages it depends on',
    dir => {
      const manifest = readJson<Manifest>(`${dir}/package.json`);
      const byName = new Map(packages.map(p => [p.name, p.dir]));
      const dependsOn = Object.keys({
        ...manifest.dependencies,
        ...manifest.peerDependencies,
      }).flatMap(name => {
        const dependency = byName.get(name);
        return dependency
          ? [path.posix.relative(dir, `${dependency}/tsconfig.build.json`)]
          : [];
      });
      const config = readJson<{
        extends?: string;
        references?: Array<{ path: string }>;
      }>(`${dir}/tsconfig.build.json`);
      expect(config.extends).toBe('../../tsconfig.build.json');
      expect((config.references ?? []).map(r => r.path).sort()).toEqual(
        dependsOn.sort(),
      );
    },
  );
});

describe('the publishConfig check', () => {
  it('notices an export whose publishConfig entry points elsewhere', () => {
    const manifest: Manifest = {
      name: '@plinth/example',
      main: 'src/index.ts',
      types: 'src/index.ts',
      exports: { '.': './src/index.ts', './alpha': './src/alpha.ts' },
      publishConfig: {
        main: 'dist/index.js',
        types: 'dist/index.d.ts',
        exports: { '.': './dist/index.js', './alpha': './dist/index.js' },
      },
    };
    expect(manifest.publishConfig).not.toEqual(expectedPublishConfig(manifest));
    expect(expectedPublishConfig(manifest).exports).toEqual({
      '.': './dist/index.js',
      './alpha': './dist/alpha.js',
    });
  });
});
