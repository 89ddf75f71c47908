/**
 * The backend replicas of the cluster test: spawned from the compiled
 * build (`build/backend/`, the default) or from sources under sucrase, each
 * with its own port and log, sharing the database, cache and keys.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

const root = resolve(__dirname, '..', '..');

/** Where `yarn build:backend` writes the deployable folder. */
export const defaultBuildDirectory = join(root, 'build', 'backend');

/** Where the replicas' code comes from. */
export type ReplicaSource = 'build' | 'sources';

/** What every replica shares. */
export interface ClusterSettings {
  source: ReplicaSource;
  /** The folder `yarn build:backend` wrote, for `source: 'build'`. */
  buildDirectory: string;
  directory: string;
  postgresPort: number;
  redisUrl: string;
  /** The static token the harness reads with. */
  token: string;
  /** The shared `backend.auth.keys` secret. */
  secret: string;
  loadBalancerOrigin: string;
  stateDirectory: string;
}

/** One replica, which the test starts, kills and starts again. */
export class Replica {
  #child: ChildProcess | undefined;
  #exited: Promise<number | null> = Promise.resolve(null);
  readonly origin: string;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly settings: ClusterSettings,
    private readonly configFiles: string[],
    private readonly cwd: string,
    private readonly entry: string[],
  ) {
    this.origin = `http://127.0.0.1:${port}`;
  }

  get running(): boolean {
    return (
      this.#child !== undefined &&
      this.#child.exitCode === null &&
      this.#child.signalCode === null
    );
  }

  start(): void {
    const log = createWriteStream(
      join(this.settings.directory, `${this.name}.log`),
      {
        flags: 'a',
      },
    );
    log.write(`\n===== start ${new Date().toISOString()}\n`);
    const child = spawn(
      process.execPath,
      [...this.entry, ...this.configFiles.flatMap(file => ['--config', file])],
      {
        cwd: this.cwd,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          NODE_OPTIONS: '',
          BACKEND_BASE_URL: this.settings.loadBalancerOrigin,
          APP_BASE_URL: 'http://127.0.0.1:3000',
          BACKEND_SECRET: this.settings.secret,
          POSTGRES_HOST: '127.0.0.1',
          POSTGRES_PORT: String(this.settings.postgresPort),
          POSTGRES_USER: 'postgres',
          POSTGRES_PASSWORD: '',
          PLINTH_CLUSTER_REPLICA: this.name,
          PLINTH_CLUSTER_STATE: this.settings.stateDirectory,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.#child = child;
    this.#exited = new Promise(done =>
      child.once('exit', (code, signal) => {
        log.end(
          `===== exit code=${code} signal=${signal} ${new Date().toISOString()}\n`,
        );
        done(code);
      }),
    );
  }

  /** Sends `signal` and waits for the exit; SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals, graceMs = 40_000): Promise<number | null> {
    const child = this.#child;
    if (!child || !this.running) {
      return this.#exited;
    }
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await this.#exited;
    clearTimeout(timer);
    return code;
  }

  /** Waits until the replica's own readiness route answers 200. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(
          `Replica '${this.name}' exited before it was ready; see '${join(this.settings.directory, `${this.name}.log`)}'.`,
        );
      }
      try {
        const response = await fetch(
          `${this.origin}/.backstage/health/v1/readiness`,
        );
        if (response.ok) {
          return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise(done => setTimeout(done, 200));
    }
    throw new Error(
      `Replica '${this.name}' was not ready within ${timeoutMs} ms; see '${join(this.settings.directory, `${this.name}.log`)}'.`,
    );
  }
}

/**
 * Writes the shared and per-replica config files and creates the replicas
 * (not started). The config is the production one
 * (`app-config.yaml` + `app-config.production.yaml`, values from the
 * environment) with the test's additions on top.
 */
export function createReplicas(
  settings: ClusterSettings,
  ports: number[],
): Replica[] {
  const { cwd, entry } = locateEntry(settings);
  const shared = join(settings.directory, 'app-config.cluster.yaml');
  writeFileSync(
    shared,
    stringify({
      backend: {
        database: {
          connection: { host: '127.0.0.1', port: settings.postgresPort },
        },
        cache: { store: 'redis', connection: settings.redisUrl },
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: settings.token, subject: 'cluster-test' },
            },
          ],
        },
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
        locations: [],
      },
      // The read load uses a service token; the policy is not under test.
      permission: { enabled: false },
    }),
  );
  return ports.map((port, i) => {
    const name = `replica-${i + 1}`;
    const own = join(settings.directory, `app-config.${name}.yaml`);
    writeFileSync(
      own,
      stringify({ backend: { listen: { host: '127.0.0.1', port } } }),
    );
    return new Replica(
      name,
      port,
      settings,
      [
        join(cwd, 'app-config.yaml'),
        join(cwd, 'app-config.production.yaml'),
        shared,
        own,
      ],
      cwd,
      entry,
    );
  });
}

/**
 * The compiled build runs the entry copied into `build/backend/`, so that
 * `@plinth/*` resolve to the compiled packages there and not to the
 * repository's sources; the sources run it in place under sucrase.
 */
function locateEntry(settings: ClusterSettings): {
  cwd: string;
  entry: string[];
} {
  const entryFile = join(__dirname, 'clusterBackend.js');
  if (settings.source === 'sources') {
    return { cwd: root, entry: ['-r', 'sucrase/register/ts', entryFile] };
  }
  const { buildDirectory } = settings;
  if (
    !existsSync(join(buildDirectory, 'packages', 'backend', 'dist', 'index.js'))
  ) {
    throw new Error(
      `There is no compiled backend at '${buildDirectory}'; run 'yarn build:backend' first, or run the test from sources with 'yarn test:cluster --sources'.`,
    );
  }
  const copy = join(buildDirectory, 'clusterBackend.js');
  copyFileSync(entryFile, copy);
  return { cwd: buildDirectory, entry: [copy] };
}
