/**
 * Measures `yarn start` as a user meets it, by running the command its
 * script runs: the time from spawning the process until readiness answers
 * 200, the peak RSS of the process and any children over the run, and the
 * time from SIGINT until it exits, and the CPU time spent until ready,
 * which other load on the machine inflates less than the time. Each run pairs a first run on a new data
 * directory (a fresh clone after `yarn install`) with a warm restart on
 * it; then the same for the backend plus one plugin that opens its PGlite
 * database (db-only). Prints medians with the range; asserts nothing.
 *
 * Usage: yarn bench:start [runs]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const runs = Number(process.argv[2] ?? 5);
const sampleMillis = 10;
const clockTicksPerSecond = Number(
  execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }),
);

interface Run {
  readyMs: number;
  cpuMs: number;
  peakRssMiB: number;
  stopMs: number;
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

function readKiB(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  } catch {
    return 0; // The process has exited.
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** The RSS of a process and its descendants, in MiB. */
function treeRssMiB(pid: number): number {
  let kib = readKiB(pid, 'VmRSS');
  for (const child of childrenOf(pid)) {
    kib += treeRssMiB(child) * 1024;
  }
  return kib / 1024;
}

/** User and system time of a process and its waited-for children. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may hold spaces: utime is the 14th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0);
  return (ticks / clockTicksPerSecond) * 1000;
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
  const child = spawn(
    process.execPath,
    ['-r', './packages/cli/register/ts.js', entry],
    {
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
    },
  );
  const exited = new Promise<number | null>(done =>
    child.once('exit', code => done(code)),
  );
  // Sampling misses a peak shorter than its interval; the process's own
  // high-water mark below does not.
  let peakTree = 0;
  const sampler = setInterval(() => {
    peakTree = Math.max(peakTree, treeRssMiB(child.pid!));
  }, sampleMillis);
  try {
    await waitForReady(port, Date.now() + 60_000);
  } finally {
    clearInterval(sampler);
  }
  const readyMs = performance.now() - started;
  const cpu = cpuMs(child.pid!);
  const peakRssMiB = Math.max(
    peakTree,
    treeRssMiB(child.pid!),
    readKiB(child.pid!, 'VmHWM') / 1024,
  );
  const stopping = performance.now();
  child.kill('SIGINT');
  const exitCode = await exited;
  if (exitCode !== 0) {
    throw new Error(`${entry} exited with code ${exitCode} on SIGINT.`);
  }
  return {
    readyMs,
    cpuMs: cpu,
    peakRssMiB,
    stopMs: performance.now() - stopping,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summary(values: number[], width: number): string {
  const f = (n: number) => n.toFixed(0);
  return `${f(median(values)).padStart(width)} [${f(Math.min(...values))}-${f(Math.max(...values))}]`;
}

function print(label: string, results: Run[]) {
  const pick = (key: keyof Run) => results.map(r => r[key]);
  process.stdout.write(
    `${label.padEnd(14)} ready ${summary(pick('readyMs'), 5)} ms   CPU ${summary(pick('cpuMs'), 5)} ms   peak RSS ${summary(pick('peakRssMiB'), 4)} MiB   stop ${summary(pick('stopMs'), 4)} ms\n`,
  );
}

async function measure(label: string, entry: string, baseDir: string) {
  const first: Run[] = [];
  const warm: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = join(baseDir, `${label}-${i}`);
    first.push(await runOnce(entry, dataDir));
    warm.push(await runOnce(entry, dataDir));
  }
  print(`${label} first run`, first);
  print(`${label} warm`, warm);
}

async function main() {
  const baseDir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
  try {
    process.stdout.write(
      `yarn start on ${process.platform}, node ${process.version}: median [min-max] of ${runs} runs; first run = a new data directory\n`,
    );
    await measure('app', 'packages/backend/src/index.ts', baseDir);
    await measure('db', 'bench/databaseBackend.ts', baseDir);
  } finally {
    rmSync(baseDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
