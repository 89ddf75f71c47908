import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  freePort,
  spawnBackend,
  type BackendProcess,
} from './startBackendProcess';

jest.setTimeout(90_000);

const root = resolve(__dirname, '../..');

const tempDirs: string[] = [];
const groups: ChildProcess[] = [];
afterAll(() => {
  for (const child of groups) {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGKILL');
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function makeTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-interrupt-'));
  tempDirs.push(dir);
  return dir;
}

/**
 * Prints a line when the backend's entry starts to import
 * `@plinth/backend-defaults`, the slowest of its imports; the entry's own
 * early signal handling is installed by then, the engine's not yet.
 */
const importProbe = `
const Module = require('node:module');
const load = Module._load;
Module._load = function (request) {
  if (request === '@plinth/backend-defaults') {
    Module._load = load;
    require('node:fs').writeSync(2, 'probe: importing @plinth/backend-defaults\\n');
  }
  return load.apply(this, arguments);
};
`;

/**
 * Starts the backend of `yarn start` with the root app-config.yaml in a
 * directory of its own, holding a copy of the sample catalog, the database
 * and the development token file, so that nothing lands in the
 * repository's .plinth/.
 */
function startBackend(
  options: { probeImports?: boolean; config?: Record<string, unknown> } = {},
): Promise<BackendProcess> {
  const cwd = makeTempDir();
  // Node resolves `-r sucrase/register/ts` from the working directory.
  symlinkSync(join(root, 'node_modules'), join(cwd, 'node_modules'));
  cpSync(join(root, 'examples/catalog'), join(cwd, 'examples/catalog'), {
    recursive: true,
  });
  const env: Record<string, string> = {
    // On disk, as yarn start keeps it. In memory PGlite does no file I/O,
    // so a stop never yields to other events, which hid a start-failure
    // report that cut stops short.
    APP_CONFIG_backend_database_connection: JSON.stringify({
      directory: join(cwd, 'database'),
    }),
    // Loopback, as the development token needs, whatever the root config says.
    APP_CONFIG_backend_listen_host: '"127.0.0.1"',
  };
  if (options.probeImports) {
    const probe = join(cwd, 'importProbe.js');
    writeFileSync(probe, importProbe);
    env.NODE_OPTIONS = `--require ${probe}`;
  }
  return spawnBackend({
    entry: join(root, 'packages/backend/src/index.ts'),
    cwd,
    config: options.config ?? {},
    extraArgs: ['--config', join(root, 'app-config.yaml')],
    env,
  });
}

/** Waits until the catalog serves at least one entity of the sample. */
async function waitForFirstEntity(backend: BackendProcess): Promise<void> {
  await backend.waitForOutput('Backend started');
  // The token may end with '-', so the line end marks where it ends.
  const token = /Development token .*?: ([\w-]{32})$/m.exec(
    backend.output(),
  )?.[1];
  const url = backend.url('/api/catalog/entities/by-query?limit=1');
  let exited = false;
  void backend.exited.then(() => {
    exited = true;
  });
  while (!exited) {
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { items?: unknown[] };
    if ((body.items?.length ?? 0) > 0) return;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(
    `The backend exited before serving an entity:\n${backend.output()}`,
  );
}

function errorLines(output: string): string[] {
  return output.split('\n').filter(line => /^(\S+ +)?error\b/.test(line));
}

/**
 * Fails, showing everything the process printed, unless it exits with
 * `expectedCode` and logs no error.
 */
async function expectExit(
  backend: { exited: Promise<number | null>; output(): string },
  expectedCode: number,
): Promise<void> {
  const code = await backend.exited;
  const errors = errorLines(backend.output());
  if (code !== expectedCode || errors.length > 0) {
    throw new Error(
      `Expected exit code ${expectedCode} and no error lines, got exit code ${code}:\n${backend.output()}`,
    );
  }
}

type Point = [name: string, reach: (backend: BackendProcess) => Promise<void>];

const whileImporting: Point = [
  'while the entry imports its modules',
  b => b.waitForOutput('probe: importing @plinth/backend-defaults'),
];
const whenListening: Point = [
  'when the HTTP server listens',
  b => b.waitForOutput('Listening on'),
];
const whenInitializing: Point = [
  'when plugins start initialising',
  b => b.waitForOutput('Initializing plugins'),
];
const whenTokenPrinted: Point = [
  'when the development token is printed',
  b => b.waitForOutput('Development token'),
];
const onceStarted: Point = [
  'once the backend has started',
  b => b.waitForOutput('Backend started'),
];
const whileIngesting: Point = [
  'while the catalog ingests the sample',
  waitForFirstEntity,
];

// The three start-up lines come within milliseconds of each other, while
// plugins initialise, and SIGTERM takes the same path as SIGINT: it is sent
// once in that phase, at the last of them.
const cases: Array<[NodeJS.Signals, ...Point]> = [
  ...[
    whileImporting,
    whenListening,
    whenInitializing,
    whenTokenPrinted,
    onceStarted,
    whileIngesting,
  ].map((point): [NodeJS.Signals, ...Point] => ['SIGINT', ...point]),
  ...[whileImporting, whenTokenPrinted, onceStarted, whileIngesting].map(
    (point): [NodeJS.Signals, ...Point] => ['SIGTERM', ...point],
  ),
];

describe('the assembled backend of yarn start', () => {
  it.concurrent.each(cases)(
    'exits with 0 on %s %s',
    async (signal, point, reach) => {
      const backend = await startBackend({
        probeImports: point === whileImporting[0],
      });
      await reach(backend);
      backend.child.kill(signal);
      await expectExit(backend, 0);
    },
  );

  it.concurrent.each(['SIGINT', 'SIGTERM'] as const)(
    'exits at once with 1 on %s during a stop begun by SIGINT',
    async second => {
      // The HTTP server keeps serving for a minute after the first signal,
      // so the stop is still running when the second one arrives.
      const backend = await startBackend({
        config: { backend: { lifecycle: { serverShutdownDelay: 60_000 } } },
      });
      await backend.waitForOutput('Backend started');
      backend.child.kill('SIGINT');
      await backend.waitForOutput('Received SIGINT; stopping the backend.');
      backend.child.kill(second);
      await expectExit(backend, 1);
      expect(backend.output()).toContain(
        `Received ${second} again; exiting without waiting for shutdown to finish.`,
      );
    },
  );

  it.concurrent(
    'exits with 0 through corepack yarn start when Ctrl-C reaches the whole process group while plugins initialise',
    async () => {
      // yarn start runs in the repository: the database and the token,
      // which would go to its .plinth/, go elsewhere or nowhere.
      const child = spawn('corepack', ['yarn', 'start'], {
        cwd: root,
        detached: true,
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          APP_CONFIG_backend_database_connection: JSON.stringify({
            directory: join(makeTempDir(), 'database'),
          }),
          APP_CONFIG_backend_listen_port: String(await freePort()),
          APP_CONFIG_backend_auth_developmentToken: 'false',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      groups.push(child);
      let output = '';
      const initializing = new Promise<void>((done, fail) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Initializing plugins')) done();
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', code =>
          fail(new Error(`yarn start exited with ${code}:\n${output}`)),
        );
      });
      const exited = new Promise<number | null>(done =>
        child.once('exit', code => done(code)),
      );
      await initializing;
      process.kill(-child.pid!, 'SIGINT');
      await expectExit({ exited, output: () => output }, 0);
    },
  );
});
