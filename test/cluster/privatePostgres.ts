/**
 * A PostgreSQL 15 server of the machine's installation, private to one
 * `yarn test:cluster` run: the test restarts it and terminates its
 * connections, which it must never do to the shared server on port 5432.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
const binaries = '/usr/lib/postgresql/15/bin';

/** A running private server and the faults the test applies to it. */
export interface PrivatePostgres {
  port: number;
  /** The server's log, with the SQLSTATE of each error in its prefix. */
  logFile: string;
  /** Runs one query on a new connection to `database`; closes it. */
  query<T = Record<string, unknown>>(
    database: string,
    sql: string,
    values?: unknown[],
  ): Promise<T[]>;
  /** Ends every client backend but the caller's; resolves with how many. */
  terminateConnections(): Promise<number>;
  /** `pg_ctl restart -m <mode>`, waiting until it accepts connections. */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server and leaves its directory to the caller to remove. */
  stop(): Promise<void>;
}

/**
 * Runs initdb in `directory/pgdata` as the `postgres` OS user (initdb
 * refuses root) and starts the server on `port`, listening on 127.0.0.1
 * only, with deadlocks and lock waits logged.
 */
export async function startPrivatePostgres(
  directory: string,
  port: number,
): Promise<PrivatePostgres> {
  if (!existsSync(join(binaries, 'initdb'))) {
    throw new Error(
      `PostgreSQL 15 is not installed at '${binaries}'; the cluster test starts a private server from it. Install the 'postgresql-15' package.`,
    );
  }
  const dataDirectory = join(directory, 'pgdata');
  const logFile = join(directory, 'postgres.log');
  chownSync(directory, uid('postgres'), gid('postgres'));
  await asPostgres('initdb', [
    '-D',
    dataDirectory,
    '-U',
    'postgres',
    '-A',
    'trust',
    '--no-sync',
  ]);
  writeFileSync(
    join(dataDirectory, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${directory}'`,
      'max_connections = 200',
      // Data lives as long as the test: a power loss is not a case here,
      // a process crash (immediate restart) still recovers from the WAL.
      'fsync = off',
      'full_page_writes = off',
      // %e is the SQLSTATE, so deadlocks (40P01) can be counted.
      `log_line_prefix = '%m [%p] %e %d '`,
      'log_lock_waits = on',
      `deadlock_timeout = '1s'`,
      'log_min_error_statement = error',
      '',
    ].join('\n'),
  );
  const pgCtl = (...args: string[]) =>
    asPostgres('pg_ctl', ['-D', dataDirectory, '-l', logFile, '-w', ...args]);
  await pgCtl('start');

  const query = async <T>(
    database: string,
    sql: string,
    values?: unknown[],
  ): Promise<T[]> => {
    const client = new Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database,
    });
    // A restart may end the connection while a query runs; the query's
    // own rejection reports it.
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(sql, values)).rows as T[];
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  let stopped = false;
  return {
    port,
    logFile,
    query,
    async terminateConnections() {
      const rows = await query<{ ended: boolean }>(
        'postgres',
        `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      return rows.filter(row => row.ended).length;
    },
    async restart(mode) {
      await pgCtl('-m', mode, 'restart');
    },
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      await pgCtl('-m', 'immediate', 'stop').catch(() => undefined);
    },
  };
}

/**
 * The deadlocks PostgreSQL broke (SQLSTATE 40P01): each error line of its
 * log with the statement that was aborted, which says where in the app.
 */
export function readDeadlocks(logFile: string): string[] {
  if (!existsSync(logFile)) {
    return [];
  }
  const lines = readFileSync(logFile, 'utf8').split('\n');
  const deadlocks: string[] = [];
  lines.forEach((line, i) => {
    if (!/ 40P01 .*ERROR:/.test(line)) {
      return;
    }
    // The statement follows a few lines on, over several lines of its own
    // until the next line with a timestamp.
    const start = lines.findIndex(
      (next, j) => j > i && j < i + 40 && next.includes('STATEMENT:'),
    );
    if (start < 0) {
      deadlocks.push(line);
      return;
    }
    const end = lines.findIndex(
      (next, j) => j > start && /^\d{4}-\d{2}-\d{2} /.test(next),
    );
    const statement = lines
      .slice(start, end < 0 ? undefined : end)
      .join(' ')
      .replace(/^.*STATEMENT:/, '')
      .replace(/\s+/g, ' ')
      .trim();
    deadlocks.push(`${line} in: ${statement}`);
  });
  return deadlocks;
}

async function asPostgres(binary: string, args: string[]): Promise<void> {
  try {
    await run(
      'runuser',
      ['-u', 'postgres', '--', join(binaries, binary), ...args],
      {
        cwd: '/tmp',
      },
    );
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(
      `'${binary} ${args.join(' ')}' failed as user 'postgres': ${stderr || stdout || String(error)}`,
      { cause: error },
    );
  }
}

function uid(user: string): number {
  return Number(idOf(user, 2));
}

function gid(user: string): number {
  return Number(idOf(user, 3));
}

function idOf(user: string, field: number): string {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find(entry => entry.startsWith(`${user}:`));
  if (!line) {
    throw new Error(
      `There is no OS user '${user}'; the private PostgreSQL server runs as it, as the postgresql-15 package creates it.`,
    );
  }
  return line.split(':')[field];
}
