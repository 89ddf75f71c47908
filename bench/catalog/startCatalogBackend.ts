/**
 * Starts `catalogBackend.ts` as a child process with a config written for
 * one benchmark run, and watches its memory.
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';

const root = resolve(__dirname, '..', '..');
const entry = join(__dirname, 'catalogBackend.ts');
/** How much of the child's output to keep for an error message. */
const outputTailBytes = 8192;

/** The `backend.database` of one run. */
export type BenchDatabaseConfig =
  | { client: 'pglite'; connection: { directory: string } }
  | { client: 'pg'; connection: string; prefix: string };

/** Options for {@link startCatalogBackend}. */
export interface StartCatalogBackendOptions {
  /** Where to write the config file. */
  workDirectory: string;
  /** The generated Location file the catalog reads at start. */
  locationFile: string;
  database: BenchDatabaseConfig;
  /**
   * Adds the permission backend and the owners policy, with
   * `permission.enabled` and `permission.ownersPolicy.read` as given.
   * @defaultValue the catalog alone
   */
  permissions?: { enabled: boolean; read: 'everyone' | 'owners' };
  /**
   * `catalog.processingInterval`, in seconds.
   * @defaultValue the catalog's (100 s)
   */
  processingIntervalSeconds?: number;
  /**
   * `LOG_LEVEL`: at `info`, as deployed, every request writes its log line
   * (to a pipe this process drains).
   * @defaultValue 'info'
   */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * Extra options for the backend's `node`, such as `--cpu-prof`.
   * @defaultValue none
   */
  nodeOptions?: string[];
}

/** A running catalog backend. */
export interface CatalogBackendProcess {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** A static token every catalog route accepts. */
  token: string;
  /**
   * A user token as an identity provider sharing the backend's key issues
   * it, valid for an hour: `sub` is `userRef`, `ent` the ownership refs.
   */
  signUserToken(userRef: string, ownershipEntityRefs: string[]): string;
  /** `performance.now()` when the process was spawned. */
  spawnedAt: number;
  /** Peak resident memory so far (VmHWM), in MiB. */
  readPeakRssMiB(): number;
  /** Resident memory now (VmRSS), in MiB; 0 once the process is gone. */
  readRssMiB(): number;
  /**
   * CPU time the process has used so far (user and system), in ms; 0
   * once it is gone. PGlite runs inside it, PostgreSQL does not.
   */
  readCpuMs(): number;
  /** Rejects once the process exits on its own, with the end of its output. */
  exited: Promise<never>;
  /** Sends SIGINT (SIGKILL 40 s later) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Writes the config and spawns the backend; resolves at once, before the
 * backend listens, so that the caller's clock includes start-up.
 */
export async function startCatalogBackend(
  options: StartCatalogBackendOptions,
): Promise<CatalogBackendProcess> {
  const port = await findFreePort();
  const token = randomBytes(24).toString('base64url');
  const signingSecret = randomBytes(32).toString('base64url');
  const configFile = join(options.workDirectory, 'app-config.bench.yaml');
  writeFileSync(
    configFile,
    stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { host: '127.0.0.1', port },
        database: options.database,
        auth: {
          keys: [{ secret: signingSecret }],
          externalAccess: [
            { type: 'static', options: { token, subject: 'catalog-bench' } },
          ],
        },
        reading: { fileRoots: [dirname(options.locationFile)] },
      },
      catalog: {
        rules: [
          {
            allow: [
              'Component',
              'API',
              'Resource',
              'System',
              'Domain',
              'Group',
              'User',
              'Location',
            ],
          },
        ],
        locations: [{ type: 'file', target: options.locationFile }],
        ...(options.processingIntervalSeconds && {
          processingInterval: { seconds: options.processingIntervalSeconds },
        }),
      },
      ...(options.permissions && {
        permission: {
          enabled: options.permissions.enabled,
          ownersPolicy: { read: options.permissions.read },
        },
      }),
    }),
  );

  const spawnedAt = performance.now();
  const child = spawn(
    process.execPath,
    [
      // For profiling, as `--cpu-prof` is refused in NODE_OPTIONS.
      ...(options.nodeOptions ??
        process.env.PLINTH_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ??
        []),
      // The hook `yarn start` runs the backend with, so that the figures
      // are those of the backend as users start it.
      '-r',
      join(root, 'packages/cli/register/ts.js'),
      entry,
      '--config',
      configFile,
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: options.logLevel ?? 'info',
        PLINTH_BENCH_PERMISSIONS: options.permissions ? 'on' : 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-outputTailBytes);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let stopping = false;
  const exitCode = new Promise<number | null>(done =>
    child.once('exit', code => done(code)),
  );
  const exited = exitCode.then(code => {
    throw new Error(
      stopping
        ? 'The catalog backend was stopped.'
        : `The catalog backend exited with code ${code} before the benchmark finished; its last output:\n${output}`,
    );
  });
  // Callers race against `exited`; an unobserved rejection must not crash.
  exited.catch(() => undefined);
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(
      `Could not spawn '${process.execPath}' for the catalog backend.`,
    );
  }

  let lastPeak = 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    token,
    signUserToken: (userRef, ownershipEntityRefs) =>
      signUserToken(signingSecret, userRef, ownershipEntityRefs),
    spawnedAt,
    exited,
    readPeakRssMiB() {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
        lastPeak = Math.max(lastPeak, kib / 1024);
      } catch {
        // The process is gone; its last reading stands.
      }
      return lastPeak;
    },
    readRssMiB() {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    },
    readCpuMs: () => readProcessCpuMs(pid),
    async stop() {
      stopping = true;
      child.kill('SIGINT');
      // The backend allows itself 30 s to stop; past that it is stuck.
      const kill = setTimeout(() => child.kill('SIGKILL'), 40_000);
      const code = await exitCode;
      clearTimeout(kill);
      return code;
    },
  };
}

/**
 * CPU time a process has used so far (user and system), in ms; 0 once it
 * is gone or off Linux.
 */
export function readProcessCpuMs(pid: number | undefined): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised
    // command name, in clock ticks of 1/100 s on Linux.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** An HS256 user token, as `DefaultAuthService` accepts from a provider. */
function signUserToken(secret: string, sub: string, ent: string[]): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'HS256', typ: 'vnd.backstage.user' })}.${encode(
    { typ: 'vnd.backstage.user', sub, ent, iat: now, exp: now + 3600 },
  )}`;
  const signature = createHmac('sha256', secret).update(input).digest();
  return `${input}.${signature.toString('base64url')}`;
}

function findFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
