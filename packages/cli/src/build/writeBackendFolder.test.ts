import fs from 'node:fs';
import path from 'node:path';
import { createTestWorkspace } from '../new/TestWorkspace.fixture';
import { Workspace } from '../new/Workspace';
import {
  listBackendPackages,
  toProductionManifest,
  writeBackendFolder,
} from './writeBackendFolder';

/** A test workspace whose backend depends on a library with a schema. */
function createBuiltWorkspace() {
  const workspace = createTestWorkspace();
  const manifest = (name: string, extra: Record<string, unknown>) =>
    JSON.stringify({
      name,
      main: 'src/index.ts',
      publishConfig: { main: 'dist/index.js', types: 'dist/index.d.ts' },
      files: ['dist'],
      scripts: { test: 'jest' },
      ...extra,
    });
  workspace.write(
    'packages/backend/package.json',
    manifest('backend', {
      dependencies: { '@plinth/lib': 'workspace:^', knex: '^3.3.0' },
      devDependencies: { '@plinth/test-utils': 'workspace:^' },
    }),
  );
  workspace.write(
    'plugins/lib/package.json',
    manifest('@plinth/lib', {
      files: ['dist', 'config.schema.json'],
      configSchema: 'config.schema.json',
      exports: { '.': './src/index.ts' },
      publishConfig: {
        main: 'dist/index.js',
        exports: { '.': './dist/index.js' },
        access: 'public',
      },
    }),
  );
  workspace.write(
    'packages/test-utils/package.json',
    manifest('@plinth/test-utils', {
      dependencies: { '@plinth/backend': 'workspace:^' },
    }),
  );
  for (const dir of ['packages/backend', 'plugins/lib']) {
    workspace.write(`${dir}/dist/index.js`, '');
    workspace.write(`${dir}/dist/tsconfig.build.tsbuildinfo`, '{}');
    workspace.write(`${dir}/src/index.ts`, '');
  }
  workspace.write('plugins/lib/config.schema.json', '{}');
  for (const file of [
    '.yarnrc.yml',
    'app-config.yaml',
    'app-config.production.yaml',
    'examples/catalog/all.yaml',
  ]) {
    workspace.write(file, '');
  }
  return workspace;
}

describe('listBackendPackages', () => {
  it('follows the dependencies of the backend, not its devDependencies', () => {
    const workspace = createBuiltWorkspace();
    expect(
      listBackendPackages(Workspace.find(workspace.root)).map(p => p.dir),
    ).toEqual(['packages/backend', 'plugins/lib']);
  });
});

describe('toProductionManifest', () => {
  it('applies the entry points of publishConfig and drops what only the repository uses', () => {
    const workspace = createBuiltWorkspace();
    const lib = Workspace.find(workspace.root)
      .packages()
      .find(p => p.dir === 'plugins/lib')!;
    expect(toProductionManifest(lib)).toEqual({
      name: '@plinth/lib',
      main: 'dist/index.js',
      files: ['dist', 'config.schema.json'],
      configSchema: 'config.schema.json',
      exports: { '.': './dist/index.js' },
    });
  });

  it('refuses a package without publishConfig.main', () => {
    expect(() =>
      toProductionManifest({
        dir: 'plugins/lib',
        manifest: { name: '@plinth/lib' },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'BUILD_NO_PUBLISH_CONFIG',
        message:
          "Package '@plinth/lib' (plugins/lib) has no 'publishConfig.main', so its built copy would still point at its TypeScript sources. Add a 'publishConfig' whose main, types, exports and typesVersions point at dist/, as in packages/backend-plugin-api/package.json.",
      }),
    );
  });
});

describe('writeBackendFolder', () => {
  it('writes the root files, and each package as its files and production manifest', () => {
    const workspace = createBuiltWorkspace();
    const found = Workspace.find(workspace.root);
    const target = path.join(workspace.root, 'out');
    writeBackendFolder({
      workspace: found,
      packages: listBackendPackages(found),
      target,
    });
    expect(workspace.list('out')).toEqual([
      'out/.yarnrc.yml',
      'out/app-config.production.yaml',
      'out/app-config.yaml',
      'out/examples/catalog/all.yaml',
      'out/package.json',
      'out/packages/backend/dist/index.js',
      'out/packages/backend/package.json',
      'out/plugins/lib/config.schema.json',
      'out/plugins/lib/dist/index.js',
      'out/plugins/lib/package.json',
      'out/yarn.lock',
    ]);
    expect(JSON.parse(workspace.read('out/package.json'))).toEqual({
      private: true,
      workspaces: ['packages/backend', 'plugins/lib'],
    });
    expect(
      JSON.parse(workspace.read('out/packages/backend/package.json')),
    ).toEqual({
      name: 'backend',
      main: 'dist/index.js',
      types: 'dist/index.d.ts',
      files: ['dist'],
      dependencies: { '@plinth/lib': 'workspace:^', knex: '^3.3.0' },
    });
  });

  it('refuses a files entry that the build did not produce', () => {
    const workspace = createBuiltWorkspace();
    fs.rmSync(path.join(workspace.root, 'plugins/lib/config.schema.json'));
    const found = Workspace.find(workspace.root);
    expect(() =>
      writeBackendFolder({
        workspace: found,
        packages: listBackendPackages(found),
        target: path.join(workspace.root, 'out'),
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'BUILD_MISSING_FILE',
        message:
          "Package '@plinth/lib' lists 'config.schema.json' in 'files', but plugins/lib/config.schema.json does not exist after compiling. Remove the entry, or make the build produce it (dist/ comes from plugins/lib/tsconfig.build.json).",
      }),
    );
  });
});
