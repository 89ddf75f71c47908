/**
 * Measures what the backend's HTTP stack costs per request: requests per
 * second for a plugin route that sends a fixed JSON body through the full
 * stack (production JSON logs, a static token from
 * `backend.auth.externalAccess`), against a bare express app sending the
 * same body. Each server runs in its own process and the load generator in
 * this one; short rounds alternate between the two servers, so that both
 * see the same machine load. Besides requests per second it prints the
 * CPU time each server spent per request (on Linux), which varies less
 * with what else the machine runs. Prints figures; asserts nothing beyond
 * every response being a 200.
 *
 * Usage: yarn bench:http [seconds per round] [rounds] [connections]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';

const root = resolve(__dirname, '..');
const seconds = Number(process.argv[2] ?? 3);
const rounds = Number(process.argv[3] ?? 5);
const connections = Number(process.argv[4] ?? 10);
const token = 'bench-token-123456789';
const path = '/api/probe/x';

interface Target {
  label: string;
  entry: string;
  port: number;
  process?: ChildProcess;
  results: Array<{ rps: number; cpuMicros?: number }>;
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

function writeConfig(dir: string, port: number): string {
  const file = join(dir, 'app-config.yaml');
  writeFileSync(
    file,
    [
      'backend:',
      `  listen: { host: 127.0.0.1, port: ${port} }`,
      `  baseUrl: http://127.0.0.1:${port}`,
      "  database: { client: pglite, connection: { directory: ':memory:' } }",
      '  auth:',
      '    externalAccess:',
      '      - type: static',
      `        options: { token: ${token}, subject: bench }`,
      '',
    ].join('\n'),
  );
  return file;
}

async function waitForProbe(target: Target, deadline: number): Promise<void> {
  const url = `http://127.0.0.1:${target.port}${path}`;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status === 200) {
        return;
      }
      last = `status ${response.status}`;
    } catch {
      // Not listening yet.
    }
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(
    `The ${target.label} server did not answer GET ${path} with 200 on port ${target.port} within the deadline (last: ${last}).`,
  );
}

function start(target: Target, args: string[], env: NodeJS.ProcessEnv) {
  target.process = spawn(
    process.execPath,
    ['-r', 'sucrase/register/ts', target.entry, ...args],
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', ...env },
      // The JSON request log is written as in production; only its
      // destination is discarded.
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/** The CPU time a process has used, in microseconds; undefined off Linux. */
function readCpuMicros(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    // utime and stime (fields 14 and 15), in ticks of 1/100 s (USER_HZ).
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks / 100) * 1e6;
  } catch {
    return undefined;
  }
}

async function load(
  target: Target,
  duration: number,
): Promise<{ rps: number; cpuMicros?: number }> {
  const cpuBefore = readCpuMicros(target.process?.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${target.port}${path}`,
    connections,
    duration,
    headers: { authorization: `Bearer ${token}` },
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `The ${target.label} server answered ${result.non2xx} non-2xx responses and ${result.errors} errors; the benchmark only measures successful requests.`,
    );
  }
  const cpuAfter = readCpuMicros(target.process?.pid);
  return {
    rps: result.requests.average,
    cpuMicros:
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : (cpuAfter - cpuBefore) / result.requests.total,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function describe(
  label: string,
  results: Array<{ rps: number; cpuMicros?: number }>,
): string {
  const rps = median(results.map(r => r.rps));
  const cpu = results.map(r => r.cpuMicros);
  const cpuText = cpu.every(c => c !== undefined)
    ? `, ${median(cpu).toFixed(0).padStart(4)} µs CPU per request`
    : '';
  return `${label.padEnd(14)} ${rps.toFixed(0).padStart(6)} req/s${cpuText}`;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-http-'));
  const express: Target = {
    label: 'plain express',
    entry: 'bench/httpPlainExpress.ts',
    port: await freePort(),
    results: [],
  };
  const plinth: Target = {
    label: 'plinth backend',
    entry: 'bench/httpProbeBackend.ts',
    port: await freePort(),
    results: [],
  };
  try {
    start(express, [], { PORT: String(express.port) });
    start(plinth, ['--config', writeConfig(dir, plinth.port)], {});
    await waitForProbe(express, Date.now() + 60_000);
    await waitForProbe(plinth, Date.now() + 60_000);
    process.stdout.write(
      `GET ${path}, ${connections} connections, ${rounds} rounds of ${seconds}s each, node ${process.version}\n`,
    );
    for (const target of [express, plinth]) {
      await load(target, 2);
    }
    for (let round = 1; round <= rounds; round++) {
      for (const target of [express, plinth]) {
        const measured = await load(target, seconds);
        target.results.push(measured);
        process.stdout.write(
          `round ${round}  ${describe(target.label, [measured])}\n`,
        );
      }
    }
    const best = (t: Target) => Math.max(...t.results.map(r => r.rps));
    process.stdout.write(
      `median   ${describe(express.label, express.results)}\n` +
        `median   ${describe(plinth.label, plinth.results)}\n` +
        `best     plain express ${best(express).toFixed(0)} req/s, plinth backend ${best(plinth).toFixed(0)} req/s (${((best(plinth) / best(express)) * 100).toFixed(0)}%)\n`,
    );
  } finally {
    express.process?.kill('SIGINT');
    plinth.process?.kill('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
