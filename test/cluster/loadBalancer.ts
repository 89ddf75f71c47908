/**
 * HAProxy in front of the replicas, as a platform team would run it:
 * health checks on the readiness route, and retries of idempotent reads
 * on another replica when one is gone or not ready.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A running HAProxy. */
export interface LoadBalancer {
  origin: string;
  stop(): Promise<void>;
}

/**
 * Installs HAProxy from Debian's packages when it is missing, then starts
 * it in the foreground on `port`, balancing over `replicaPorts`.
 *
 * @remarks
 * Retries: `retry-on conn-failure empty-response response-timeout 503`
 * with `option redispatch 1` sends a read that hit a killed replica (no
 * connection, or a connection closed without a response) or one that is
 * starting or stopping (503) to another replica, at most twice. Only GET
 * and HEAD are retried: a POST may already have changed something. A 500
 * or 504 is not retried, so that the errors of a replica that cannot
 * reach its database show in the figures instead of being hidden.
 */
export async function startLoadBalancer(options: {
  directory: string;
  port: number;
  replicaPorts: number[];
}): Promise<LoadBalancer> {
  ensureHaproxy();
  const configFile = join(options.directory, 'haproxy.cfg');
  writeFileSync(
    configFile,
    [
      'global',
      '  maxconn 2000',
      'defaults',
      '  mode http',
      '  timeout connect 1s',
      '  timeout client 60s',
      '  timeout server 30s',
      '  timeout http-keep-alive 10s',
      '  retries 2',
      '  option redispatch 1',
      '  retry-on conn-failure empty-response response-timeout 503',
      'frontend cluster',
      `  bind 127.0.0.1:${options.port}`,
      '  default_backend replicas',
      'backend replicas',
      '  balance roundrobin',
      '  http-request disable-l7-retry if !METH_GET !METH_HEAD',
      '  option httpchk GET /.backstage/health/v1/readiness',
      '  http-check expect status 200',
      // Down after two failed checks 500 ms apart, up after one success.
      '  default-server inter 500ms fall 2 rise 1',
      ...options.replicaPorts.map(
        (port, i) => `  server replica-${i + 1} 127.0.0.1:${port} check`,
      ),
      '',
    ].join('\n'),
  );
  const log = createWriteStream(join(options.directory, 'haproxy.log'));
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>(done => child.once('exit', () => done()));
  await new Promise(done => setTimeout(done, 300));
  if (child.exitCode !== null) {
    throw new Error(
      `HAProxy exited at start with code ${child.exitCode}; see '${join(options.directory, 'haproxy.log')}'.`,
    );
  }
  return {
    origin: `http://127.0.0.1:${options.port}`,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

function ensureHaproxy(): void {
  if (hasHaproxy()) {
    return;
  }
  process.stdout.write(
    '[cluster] haproxy is missing; installing it with apt-get\n',
  );
  const apt = (...args: string[]) =>
    execFileSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    apt('install', '-y', 'haproxy');
  } catch {
    // A fresh machine may not have the package lists yet.
    apt('update');
    apt('install', '-y', 'haproxy');
  }
  if (!hasHaproxy()) {
    throw new Error(
      "Could not install 'haproxy' with apt-get; install it (Debian package 'haproxy') and run the test again.",
    );
  }
}

function hasHaproxy(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v haproxy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
