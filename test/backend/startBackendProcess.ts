import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

const root = resolve(__dirname, '../..');

/** A backend running in a child process, with everything it printed. */
export interface BackendProcess {
  port: number;
  url(path: string): string;
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  child: ChildProcess;
  /** Waits until `text` appears in the output. */
  waitForOutput(text: string): Promise<void>;
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

const tempDirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Spawns `entry` (a path relative to `cwd`, by default the repository
 * root) with sucrase, or with `nodeArgs` instead for compiled entries,
 * reading only a config file written from `config` (plus `extraArgs`), on
 * a free port.
 */
export async function spawnBackend(options: {
  entry: string;
  config: Record<string, unknown>;
  cwd?: string;
  env?: Record<string, string>;
  extraArgs?: string[];
  nodeArgs?: string[];
}): Promise<BackendProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'plinth-process-test-'));
  tempDirs.push(dir);
  const configFile = join(dir, 'app-config.yaml');
  writeFileSync(configFile, stringify(options.config));
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? ['-r', 'sucrase/register/ts']),
      options.entry,
      '--config',
      configFile,
      ...(options.extraArgs ?? []),
    ],
    {
      cwd: options.cwd ?? root,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        APP_CONFIG_backend_listen_port: String(port),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let output = '';
  const waiters: Array<{ text: string; done: () => void }> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      if (output.includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done();
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>(done =>
    child.once('exit', code => done(code)),
  );
  return {
    port,
    url: path => `http://127.0.0.1:${port}${path}`,
    output: () => output,
    exited,
    child,
    waitForOutput: text =>
      output.includes(text)
        ? Promise.resolve()
        : new Promise<void>((done, fail) => {
            waiters.push({ text, done });
            void exited.then(code =>
              fail(
                new Error(
                  `The backend exited with ${code} before printing '${text}':\n${output}`,
                ),
              ),
            );
          }),
  };
}

/** Polls readiness until it answers 200; fails if the process exits first. */
export async function waitUntilReady(backend: BackendProcess): Promise<void> {
  let exitCode: number | null | undefined;
  void backend.exited.then(code => {
    exitCode = code;
  });
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(
        `The backend exited with ${exitCode} before it was ready:\n${backend.output()}`,
      );
    }
    try {
      const response = await fetch(
        backend.url('/.backstage/health/v1/readiness'),
      );
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise(r => setTimeout(r, 50));
  }
}
