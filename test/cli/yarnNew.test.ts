import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveYarnCommand } from '@plinth/cli';
import {
  spawnBackend,
  waitUntilReady,
  type BackendProcess,
} from '../backend/startBackendProcess';

// The acceptance test of `yarn new`: every template is generated into a
// copy of this repository, exactly as a user would, and the result must
// pass type-checking, lint, its own tests and the repository checks, and
// serve its route from the assembled backend.

jest.setTimeout(600_000);

const repositoryRoot = path.resolve(__dirname, '../..');
const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-yarn-new-'));

const plugin = {
  dir: 'plugins/order-desk-backend',
  name: '@plinth/plugin-order-desk-backend',
};
const generated = [
  plugin.dir,
  'plugins/order-desk-node',
  'plugins/order-desk-backend-module-audit-log',
  'plugins/catalog-backend-module-team-defaults',
];

/**
 * A test a user might add to the generated plugin: it imports services of
 * `@plinth/backend-defaults` by subpath, which tsc, ESLint, Jest and the
 * runtime must all resolve from the plugin's folder.
 */
const subpathImportsTest = `import { defaultServiceFactories } from '@plinth/backend-defaults';
import { databaseServiceFactory } from '@plinth/backend-defaults/database';
import { schedulerServiceFactory } from '@plinth/backend-defaults/scheduler';

describe('subpath imports of @plinth/backend-defaults', () => {
  it('resolve to the factories the package root exports', () => {
    expect(defaultServiceFactories).toContain(databaseServiceFactory);
    expect(defaultServiceFactories).toContain(schedulerServiceFactory);
  });
});
`;

/** Runs a command in the copy, resolving with its exit code and output. */
function run(
  command: string,
  args: readonly string[],
  cwd = copy,
): Promise<{ code: number | null; output: string }> {
  return new Promise(resolve => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The outer Yarn and Jest describe this repository, not the copy.
    delete env.INIT_CWD;
    delete env.JEST_WORKER_ID;
    delete env.NODE_OPTIONS;
    const child = spawn(command, args, { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', code => resolve({ code, output }));
  });
}

/** Runs Yarn: the one running these tests when there is one, else Corepack's. */
function yarn(args: readonly string[], cwd = copy) {
  const [command, prefix] = resolveYarnCommand();
  return run(command, [...prefix, ...args], cwd);
}

/** Copies the working tree as git sees it: tracked and new files, no ignored ones. */
function copyWorkingTree() {
  const listed = spawnSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: repositoryRoot, encoding: 'utf8' },
  );
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = path.join(repositoryRoot, file);
    if (fs.existsSync(from)) {
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      fs.copyFileSync(from, path.join(copy, file));
    }
  }
}

/** Fails with the command's output, which says why, unless it succeeded. */
function expectSuccess(result: { code: number | null; output: string }) {
  expect({ ...result, output: result.code === 0 ? '' : result.output }).toEqual(
    { code: 0, output: '' },
  );
}

function listPlugins(): string[] {
  return fs.readdirSync(path.join(copy, 'plugins')).sort();
}

const created: Record<string, { code: number | null; output: string }> = {};
const backends: BackendProcess[] = [];

beforeAll(async () => {
  copyWorkingTree();
  const install = await yarn(['install']);
  expectSuccess(install);
  created.plugin = await yarn([
    'new',
    '--select',
    'backend-plugin',
    '--option',
    'pluginId=order-desk',
  ]);
  created.library = await yarn([
    'new',
    '--select',
    'node-library',
    '--option',
    'pluginId=order-desk',
  ]);
  created.module = await yarn([
    'new',
    '--select',
    'backend-module',
    '--option',
    'pluginId=order-desk',
    '--option',
    'moduleId=audit-log',
  ]);
  created.catalogModule = await yarn([
    'new',
    '--select',
    'backend-module',
    '--option',
    'pluginId=catalog',
    '--option',
    'moduleId=team-defaults',
  ]);
  fs.writeFileSync(
    path.join(copy, plugin.dir, 'src/subpathImports.test.ts'),
    subpathImportsTest,
  );
});

afterAll(async () => {
  for (const backend of backends) {
    backend.child.kill('SIGTERM');
    await backend.exited;
  }
  fs.rmSync(copy, { recursive: true, force: true });
});

describe('yarn new', () => {
  it('creates each template, installs it and prints the next steps', () => {
    for (const result of Object.values(created)) {
      expectSuccess(result);
    }
    expect(created.plugin.output).toContain(
      `Created ${plugin.dir} (${plugin.name}) from the 'backend-plugin' template.`,
    );
    expect(created.catalogModule.output).toContain(
      "Created plugins/catalog-backend-module-team-defaults (@plinth/plugin-catalog-backend-module-team-defaults) from the 'backend-module' template.",
    );
    for (const dir of generated) {
      expect(
        fs.existsSync(
          path.join(copy, 'node_modules', readPackageName(dir), 'package.json'),
        ),
      ).toBe(true);
    }
  });

  it('creates packages that type-check with the whole repository', async () => {
    const result = await yarn(['tsc']);
    expectSuccess(result);
  });

  it('creates packages that yarn build compiles to the dist/ their publishConfig names', async () => {
    const result = await yarn(['build', ...generated]);
    expectSuccess(result);
    for (const dir of generated) {
      const { publishConfig } = JSON.parse(
        fs.readFileSync(path.join(copy, dir, 'package.json'), 'utf8'),
      ) as { publishConfig: { main: string; types: string } };
      expect(fs.existsSync(path.join(copy, dir, publishConfig.main))).toBe(
        true,
      );
      expect(fs.existsSync(path.join(copy, dir, publishConfig.types))).toBe(
        true,
      );
    }
  });

  it('creates packages that pass ESLint and leave the repository formatted', async () => {
    const eslint = await yarn(['eslint', '--max-warnings', '0', ...generated]);
    expectSuccess(eslint);
    const prettier = await yarn(['prettier', '--check', '.']);
    expectSuccess(prettier);
  });

  it('creates packages whose own tests and the repository checks pass', async () => {
    const result = await yarn(['test', ...generated, 'test/repository']);
    expectSuccess(result);
    const counts = /tests: (\d+) passed, (\d+) failed, (\d+) skipped/.exec(
      result.output,
    );
    expect(counts?.slice(2)).toEqual(['0', '0']);
    expect(Number(counts?.[1])).toBeGreaterThan(50);
    for (const dir of generated) {
      expect(result.output).toContain(`PASS ${dir}/`);
    }
  });

  it('creates packages that run their own tests and lint from their folder', async () => {
    const library = generated.find(dir => dir.endsWith('-node'))!;
    const tests = await yarn(['test'], path.join(copy, library));
    expectSuccess(tests);
    expect(tests.output).toContain(`PASS src/`);
    expect(tests.output).not.toContain('test/repository');
    expectSuccess(await yarn(['lint'], path.join(copy, library)));
  });

  it('creates a plugin that imports services by subpath at runtime too', async () => {
    const loaded = await run(
      process.execPath,
      [
        '-r',
        'sucrase/register/ts',
        '-e',
        "require('@plinth/backend-defaults/database').databaseServiceFactory.service.id === 'core.database' || process.exit(3)",
      ],
      path.join(copy, plugin.dir),
    );
    expectSuccess(loaded);
  });

  it('creates a plugin that the backend serves once the printed next steps are followed', async () => {
    const add = await yarn([
      'workspace',
      'backend',
      'add',
      `${plugin.name}@workspace:^`,
    ]);
    expectSuccess(add);
    const entry = path.join(copy, 'packages/backend/src/index.ts');
    fs.writeFileSync(
      entry,
      fs
        .readFileSync(entry, 'utf8')
        .replace(
          'void backend.start();',
          `backend.add(import('${plugin.name}'));\nvoid backend.start();`,
        ),
    );

    const backend = await spawnBackend({
      entry: 'packages/backend/src/index.ts',
      cwd: copy,
      config: {},
      extraArgs: ['--config', 'app-config.yaml'],
      env: { APP_CONFIG_backend_database_connection: '":memory:"' },
    });
    backends.push(backend);
    await waitUntilReady(backend);
    const token = fs.readFileSync(path.join(copy, '.plinth/dev-token'), 'utf8');
    const headers = {
      Authorization: `Bearer ${token.trim()}`,
      'Content-Type': 'application/json',
    };
    const todos = backend.url('/api/order-desk/todos');

    expect((await fetch(todos)).status).toBe(401);
    const posted = await fetch(todos, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: 'Ship the order desk' }),
    });
    expect(posted.status).toBe(201);
    const listed = await fetch(todos, { headers });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({
      items: [{ title: 'Ship the order desk', completed: false }],
      totalItems: 1,
    });
  });

  it('creates a plugin whose config the backend checks: a misspelt key stops it, naming the right one', async () => {
    const backend = await spawnBackend({
      entry: 'dev/index.ts',
      cwd: path.join(copy, plugin.dir),
      config: { orderDesk: { defaultPageSze: 5 } },
      extraArgs: ['--config', path.join(copy, 'app-config.yaml')],
      env: { APP_CONFIG_backend_database_connection: '":memory:"' },
    });
    backends.push(backend);
    expect(await backend.exited).not.toBe(0);
    expect(backend.output()).toContain(
      "did you mean 'orderDesk.defaultPageSize'?",
    );
  });

  it('creates a plugin that runs alone from its dev entry', async () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(copy, plugin.dir, 'package.json'), 'utf8'),
    );
    expect(manifest.scripts.start).toBe(
      'node -r sucrase/register/ts dev/index.ts',
    );
    const backend = await spawnBackend({
      entry: 'dev/index.ts',
      cwd: path.join(copy, plugin.dir),
      config: {},
      extraArgs: ['--config', path.join(copy, 'app-config.yaml')],
      env: { APP_CONFIG_backend_database_connection: '":memory:"' },
    });
    backends.push(backend);
    await waitUntilReady(backend);
    const health = await fetch(backend.url('/api/order-desk/health'));
    expect(health.status).toBe(200);
    await backend.waitForOutput('Development token');
    // The plugin's own routes, not the catalog's, which is not installed.
    expect(backend.output()).toContain('/api/order-desk/<route>');
    const token = fs
      .readFileSync(path.join(copy, plugin.dir, '.plinth/dev-token'), 'utf8')
      .trim();
    const todos = await fetch(backend.url('/api/order-desk/todos'), {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(todos.status).toBe(200);
    expect(await todos.json()).toEqual({ items: [], totalItems: 0 });
  });

  it.each([
    [
      ['--select', 'backend-plugin', '--option', 'pluginId=Order_Desk'],
      "Invalid plugin id 'Order_Desk': use letters, digits and single dashes, starting with a letter, such as 'my-plugin'.",
    ],
    [
      ['--select', 'backend-plugin', '--option', 'pluginId=order-desk'],
      'Cannot create plugins/order-desk-backend: the folder already exists, and yarn new never overwrites files. Choose another id, or move the folder away first.',
    ],
  ])(
    'exits non-zero for %j, names the problem and changes no file',
    async (args, message) => {
      const plugins = listPlugins();
      const lockfile = fs.readFileSync(path.join(copy, 'yarn.lock'), 'utf8');
      const result = await yarn(['new', ...args]);
      expect(result.code).not.toBe(0);
      expect(result.output).toContain(message);
      expect(result.output).not.toMatch(/^\s+at /m);
      expect(listPlugins()).toEqual(plugins);
      expect(fs.readFileSync(path.join(copy, 'yarn.lock'), 'utf8')).toBe(
        lockfile,
      );
    },
  );
});

function readPackageName(dir: string): string {
  return (
    JSON.parse(
      fs.readFileSync(path.join(copy, dir, 'package.json'), 'utf8'),
    ) as {
      name: string;
    }
  ).name;
}
