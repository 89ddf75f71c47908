import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  assertSelfContained,
  installProductionDependencies,
} from './installProductionDependencies';

const created: string[] = [];
afterAll(() => {
  for (const dir of created) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A folder with the given files (empty) and symlinks. */
function makeFolder(
  files: string[],
  links: Record<string, string> = {},
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-build-folder-'));
  created.push(dir);
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), '');
  }
  for (const [link, target] of Object.entries(links)) {
    fs.mkdirSync(path.dirname(path.join(dir, link)), { recursive: true });
    fs.symlinkSync(target, path.join(dir, link));
  }
  return dir;
}

describe('assertSelfContained', () => {
  it('accepts production packages and workspace links inside the folder', () => {
    const dir = makeFolder(
      [
        'packages/errors/dist/index.js',
        'node_modules/knex/package.json',
        'node_modules/@types/node/package.json',
        'node_modules/knex/node_modules/typescript-like/package.json',
      ],
      { 'node_modules/@plinth/errors': '../../packages/errors' },
    );
    expect(() => assertSelfContained(dir)).not.toThrow();
  });

  it('rejects a symlink that leads out of the folder', () => {
    const dir = makeFolder([], { 'node_modules/@plinth/errors': '/srv/repo' });
    expect(() => assertSelfContained(dir)).toThrow(
      `The built folder '${dir}' has symlinks that lead out of it, so it would break once moved: node_modules/@plinth/errors -> /srv/repo. Make the dependency a workspace package the folder holds, or a registry package, instead of a link or portal.`,
    );
  });

  it('rejects dev tools at any depth, scoped ones too', () => {
    const dir = makeFolder([
      'node_modules/typescript/package.json',
      'node_modules/knex/node_modules/sucrase/package.json',
      'node_modules/@swc/core/package.json',
      'packages/typescript/package.json',
    ]);
    expect(() => assertSelfContained(dir)).toThrow(
      expect.objectContaining({
        code: 'BUILD_TRANSPILER_INSTALLED',
        message: `The built folder '${dir}' installs dev tools that production must not load: node_modules/@swc/core, node_modules/knex/node_modules/sucrase, node_modules/typescript. Find who depends on them with 'yarn why <name>' in the repository and move that dependency to devDependencies.`,
      }),
    );
  });
});

describe('installProductionDependencies', () => {
  const saved = process.env.npm_execpath;
  afterEach(() => {
    if (saved === undefined) {
      delete process.env.npm_execpath;
    } else {
      process.env.npm_execpath = saved;
    }
  });

  it("fails with Yarn's exit code and output", async () => {
    process.env.npm_execpath = path.join(
      __dirname,
      '../__fixtures__/fakeYarn.js',
    );
    const dir = makeFolder([]);
    await expect(installProductionDependencies(dir)).rejects.toMatchObject({
      code: 'BUILD_INSTALL_FAILED',
      message: `Installing the production dependencies failed: 'yarn workspaces focus --all --production' exited with code 3. Fix what Yarn reports below (run 'yarn install' in the repository first if yarn.lock is out of date), then build again.\nargs: workspaces focus --all --production\ncwd: ${fs.realpathSync(dir)}`,
    });
  });
});
