/**
 * Measures `yarn start` as a user meets it: the time from spawning the
 * process until readiness answers 200, the process's RSS then, and the
 * time from SIGINT until it exits. Then the same for the backend plus a
 * plugin that opens its PGlite database, once with an empty data
 * directory (cold: the database is created) and again on the same
 * directory (warm: a restart). Prints figures; asserts nothing.
 *
 * Usage: yarn bench:start [runs]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const warmRuns = Number(process.argv[2] ?? 2);

interface Run {
  readyMs: number;
  rssMiB: number;
  peakRssMiB: number;
  stopMs: number;
  exitCode: number | null;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function readRss(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

async function waitForReady(port: number, deadline: number): Promise<void> {
  const url = `http://127.0.0.1:${port}/.backstage/health/v1/readiness`;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status === 200) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise(r => setTimeout(r, 20));
  }
  throw new Error(`The backend did not become ready on port ${port}.`);
}

async function runOnce(entry: string, dataDir: string): Promise<Run> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['-r', 'sucrase/register/ts', entry], {
    cwd: root,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      APP_CONFIG_backend_listen_port: String(port),
      APP_CONFIG_backend_database_connection: JSON.stringify({
        directory: dataDir,
      }),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>(done =>
    child.once('exit', code => done(code)),
  );
  await waitForReady(port, Date.now() + 60_000);
  const readyMs = performance.now() - started;
  const { rss, peak } = readRss(child.pid!);
  const stopping = performance.now();
  child.kill('SIGINT');
  const exitCode = await exited;
  return {
    readyMs,
    rssMiB: rss,
    peakRssMiB: peak,
    stopMs: performance.now() - stopping,
    exitCode,
  };
}

function print(label: string, run: Run) {
  process.stdout.write(
    `${label.padEnd(11)} ready ${run.readyMs.toFixed(0).padStart(5)} ms   RSS ${run.rssMiB.toFixed(0).padStart(4)} MiB (peak ${run.peakRssMiB.toFixed(0)} MiB)   stop ${run.stopMs.toFixed(0).padStart(4)} ms   exit ${run.exitCode}\n`,
  );
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
  try {
    process.stdout.write(
      `yarn start on ${process.platform}, node ${process.version}\n`,
    );
    const app = 'packages/backend/src/index.ts';
    for (let i = 1; i <= warmRuns + 1; i++) {
      print(`app #${i}`, await runOnce(app, join(dataDir, 'app')));
    }
    const probe = 'bench/databaseBackend.ts';
    print('db cold', await runOnce(probe, join(dataDir, 'db')));
    for (let i = 1; i <= warmRuns; i++) {
      print(`db warm${i}`, await runOnce(probe, join(dataDir, 'db')));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
