import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { devToolPackages, resolveYarnCommand } from '@plinth/cli';
import {
  spawnBackend,
  waitUntilReady,
  type BackendProcess,
} from '../backend/startBackendProcess';

// The acceptance test of `yarn build:backend` (about a minute, most of it
// tsc on a fresh clone): one build into a folder outside the repository,
// which also shows the folder does not lean on it, then the backend
// started there with node alone on its default app-config.

jest.setTimeout(300_000);

const repositoryRoot = path.resolve(__dirname, '../..');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-build-test-'));
const folder = path.join(temp, 'backend');
const loadedFile = path.join(temp, 'loaded.json');

/**
 * Preloaded into the built backend: when it exits, writes every module
 * CommonJS loaded and the file extensions require handles, since a
 * transpiler hook (sucrase, ts-node) registers `.ts` there.
 */
const probe = `process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.PLINTH_LOADED_FILE, JSON.stringify({
    modules: Object.keys(require.cache),
    extensions: Object.keys(require.extensions),
  }));
});
`;

/** The names of the sample catalog's components. */
function sampleComponents(): string[] {
  const dir = path.join(repositoryRoot, 'examples/catalog');
  return fs
    .readdirSync(dir)
    .flatMap(file =>
      parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')),
    )
    .map(doc => doc.toJS() as { kind?: string; metadata?: { name: string } })
    .filter(entity => entity.kind === 'Component')
    .map(entity => entity.metadata!.name)
    .sort();
}

let build: { code: number | null; output: string };
let backend: BackendProcess | undefined;

beforeAll(async () => {
  const [command, prefix] = resolveYarnCommand();
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Jest's own; the build and its Yarn describe themselves.
  delete env.NODE_OPTIONS;
  delete env.JEST_WORKER_ID;
  build = await new Promise(resolve => {
    const child = spawn(
      command,
      [...prefix, 'build:backend', '--output', folder],
      { cwd: repositoryRoot, env },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', code => resolve({ code, output }));
  });
});

afterAll(async () => {
  if (backend && backend.child.exitCode === null) {
    backend.child.kill('SIGKILL');
    await backend.exited;
  }
  fs.rmSync(temp, { recursive: true, force: true });
});

describe('yarn build:backend', () => {
  it('writes the folder and says how to start it', () => {
    expect({ ...build, output: build.code === 0 ? '' : build.output }).toEqual({
      code: 0,
      output: '',
    });
    expect(build.output).toContain(
      `Start it with: cd ${folder} && node packages/backend/dist/index.js`,
    );
    for (const file of [
      'package.json',
      'yarn.lock',
      '.yarnrc.yml',
      'app-config.yaml',
      'app-config.production.yaml',
      'examples/catalog/all.yaml',
      'packages/backend/dist/index.js',
      'packages/backend-defaults/config.schema.json',
    ]) {
      expect(fs.existsSync(path.join(folder, file))).toBe(true);
    }
    expect(fs.existsSync(path.join(folder, 'packages/backend/src'))).toBe(
      false,
    );
    expect(fs.existsSync(path.join(folder, 'packages/cli'))).toBe(false);
  });

  it('installs production dependencies only, with workspace links inside the folder', () => {
    const nodeModules = path.join(folder, 'node_modules');
    expect(
      devToolPackages.filter(name =>
        fs.existsSync(path.join(nodeModules, name)),
      ),
    ).toEqual([]);
    expect(fs.existsSync(path.join(nodeModules, 'knex'))).toBe(true);
    const backendDefaults = path.join(nodeModules, '@plinth/backend-defaults');
    expect(fs.lstatSync(backendDefaults).isSymbolicLink()).toBe(true);
    expect(fs.realpathSync(backendDefaults)).toBe(
      fs.realpathSync(path.join(folder, 'packages/backend-defaults')),
    );
  });

  it('starts with node alone, serves the sample catalog and loads no transpiler', async () => {
    fs.writeFileSync(path.join(temp, 'probe.js'), probe);
    backend = await spawnBackend({
      entry: 'packages/backend/dist/index.js',
      cwd: folder,
      nodeArgs: ['--require', path.join(temp, 'probe.js')],
      config: {},
      extraArgs: ['--config', 'app-config.yaml'],
      env: {
        APP_CONFIG_backend_database_connection_directory: JSON.stringify(
          path.join(temp, 'database'),
        ),
        PLINTH_LOADED_FILE: loadedFile,
      },
    });
    await waitUntilReady(backend);
    await backend.waitForOutput('Development token');
    const token = fs
      .readFileSync(path.join(folder, '.plinth/dev-token'), 'utf8')
      .trim();

    // Ingestion runs after readiness: poll until the sample is in.
    const expected = sampleComponents();
    let names: string[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && names.join() !== expected.join()) {
      const response = await fetch(
        backend.url('/api/catalog/entities/by-query?filter=kind=component'),
        { headers: { Authorization: `Bearer ${token}` } },
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        items: Array<{ metadata: { name: string } }>;
      };
      names = body.items.map(item => item.metadata.name).sort();
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    expect(names).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);

    backend.child.kill('SIGTERM');
    expect(await backend.exited).toBe(0);
    const loaded = JSON.parse(fs.readFileSync(loadedFile, 'utf8')) as {
      modules: string[];
      extensions: string[];
    };
    expect(loaded.extensions.sort()).toEqual(['.js', '.json', '.node']);
    expect(
      loaded.modules.filter(file =>
        /[\\/](sucrase|ts-node|typescript|@swc|esbuild|tsx)[\\/]/.test(file),
      ),
    ).toEqual([]);
    const realFolder = fs.realpathSync(folder);
    const workspaceModules = loaded.modules.filter(
      file =>
        file.startsWith(realFolder) &&
        !file.includes(`${path.sep}node_modules${path.sep}`),
    );
    expect(workspaceModules).toContain(
      path.join(realFolder, 'packages/backend/dist/index.js'),
    );
    expect(
      workspaceModules.filter(
        file =>
          !/^(packages|plugins)\/[^/]+\/dist\/.*\.js$/.test(
            path.relative(realFolder, file),
          ),
      ),
    ).toEqual([]);
  });
});
