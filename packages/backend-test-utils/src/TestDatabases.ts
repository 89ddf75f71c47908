import { ConfigReader, DatabaseManager } from '@plinth/backend-defaults';
import {
  coreServices,
  createServiceFactory,
  type DatabaseService,
  type ServiceFactory,
} from '@plinth/backend-plugin-api';
import { randomBytes } from 'node:crypto';
import { knex, type Knex } from 'knex';
import { MockLoggerService } from './services/MockLoggerService';
import { TestDatabaseError } from './errors';
import { afterTestFile } from './afterTestFile';

/**
 * The kinds of database a test can run against: `PGLITE` always,
 * `POSTGRES` when `PLINTH_TEST_POSTGRES_URL` is set.
 *
 * @public
 */
export type TestDatabaseId = 'PGLITE' | 'POSTGRES';

/**
 * Options for {@link TestDatabases.create}.
 *
 * @public
 */
export interface TestDatabasesOptions {
  /**
   * The kinds this test file runs against, when it supports fewer.
   * @defaultValue `['PGLITE', 'POSTGRES']`
   */
  ids?: TestDatabaseId[];
  /**
   * Start the file's PGlite in a `beforeAll`, so the first test does not
   * pay for it; `false` starts it on the first `init`, and is required
   * when creating the helper inside a test.
   * @defaultValue `true`
   */
  startEarly?: boolean;
}

/** The environment variable that enables `POSTGRES`. */
const postgresUrlVariable = 'PLINTH_TEST_POSTGRES_URL';
const allIds: readonly TestDatabaseId[] = ['PGLITE', 'POSTGRES'];
const prefix = 'plinth_test_';
/** How long the first PGlite of a file may take to start, in ms. */
const pgliteStartTimeout = 60_000;

/**
 * One database manager per kind (and PostgreSQL URL), shared by every
 * `TestDatabases` of the test file (Jest loads modules once per file), so
 * the file starts one PGlite; closed after the file's last test.
 */
const managers = new Map<string, DatabaseManager>();
/** The PostgreSQL databases created by this file, by server URL. */
const createdPostgresDatabases = new Map<string, Set<string>>();

/**
 * Fresh, empty databases for tests, of each kind the environment supports.
 * PGlite databases are schemas of one in-memory PGlite per test file;
 * PostgreSQL databases are created on the server in
 * `PLINTH_TEST_POSTGRES_URL` and dropped after the file's last test.
 *
 * @example
 * ```ts
 * const databases = TestDatabases.create();
 *
 * describe.each(databases.eachSupportedId())('TodoStore on %s', id => {
 *   it('stores a todo', async () => {
 *     const knex = await databases.init(id);
 *     // ...
 *   });
 * });
 * ```
 * @public
 */
export class TestDatabases {
  readonly #ids: readonly TestDatabaseId[];

  /**
   * Creates the helper. Call it at the top of a test file or a `describe`:
   * when PGlite is enabled it registers a `beforeAll` (with a 60-second
   * limit) that starts the file's PGlite, which takes seconds, so tests do
   * not hit Jest's 5-second limit on their first `init`.
   * @throws {@link TestDatabaseError} when `ids` names an unknown kind.
   */
  static create(options: TestDatabasesOptions = {}): TestDatabases {
    const ids = options.ids ?? allIds;
    for (const id of ids) {
      if (!allIds.includes(id)) {
        throw TestDatabaseError.unknownId(id, allIds);
      }
    }
    const databases = new TestDatabases(ids);
    const registerBeforeAll = (
      globalThis as {
        beforeAll?: (fn: () => Promise<unknown>, timeout?: number) => void;
      }
    ).beforeAll;
    if (
      options.startEarly !== false &&
      ids.includes('PGLITE') &&
      typeof registerBeforeAll === 'function'
    ) {
      registerBeforeAll(() => databases.init('PGLITE'), pgliteStartTimeout);
    }
    return databases;
  }

  private constructor(ids: readonly TestDatabaseId[]) {
    this.#ids = ids;
  }

  /**
   * The enabled kinds this environment can run, for `describe.each`:
   * `PGLITE`, plus `POSTGRES` when `PLINTH_TEST_POSTGRES_URL` is set.
   */
  eachSupportedId(): TestDatabaseId[] {
    return this.#ids.filter(
      id => id === 'PGLITE' || process.env[postgresUrlVariable] !== undefined,
    );
  }

  /**
   * A new, empty database of the kind, each call. The client is closed
   * after the test file's last test.
   * @throws {@link TestDatabaseError} when the kind is not enabled or not
   *   available, or its server cannot be reached.
   */
  async init(id: TestDatabaseId): Promise<Knex> {
    this.#assertEnabled(id);
    const url = id === 'POSTGRES' ? readPostgresUrl() : undefined;
    const name = randomBytes(6).toString('hex');
    let client: Knex;
    try {
      client = await this.#manager(url)
        .forPlugin(name, { logger: MockLoggerService.create() })
        .getClient();
    } catch (error) {
      if (url) {
        throw TestDatabaseError.postgresUnreachable(
          postgresUrlVariable,
          redactUrl(url),
          error,
        );
      }
      throw error;
    }
    if (url) {
      const created = createdPostgresDatabases.get(url) ?? new Set();
      createdPostgresDatabases.set(url, created.add(`${prefix}${name}`));
    }
    return client;
  }

  /**
   * Closes every test database client of the file and drops the
   * PostgreSQL databases it created. Runs by itself after the file's last
   * test; later calls to {@link TestDatabases.init} start afresh.
   */
  async shutdown(): Promise<void> {
    await closeTestDatabases();
  }

  /**
   * A database service factory for `startTestBackend` that gives each
   * plugin a fresh database of the kind.
   *
   * @example
   * ```ts
   * await startTestBackend({ features: [todoPlugin, databases.factory('PGLITE')] });
   * ```
   */
  factory(id: TestDatabaseId): ServiceFactory<DatabaseService> {
    this.#assertEnabled(id);
    return createServiceFactory({
      service: coreServices.database,
      deps: {},
      factory: () => {
        let client: Promise<Knex> | undefined;
        return { getClient: () => (client ??= this.init(id)) };
      },
    });
  }

  /** The manager of the PostgreSQL server at `url`, or of PGlite. */
  #manager(url: string | undefined): DatabaseManager {
    const key = url ?? 'PGLITE';
    let manager = managers.get(key);
    if (!manager) {
      manager = DatabaseManager.fromConfig(
        new ConfigReader({
          backend: {
            database: url
              ? { client: 'pg', connection: url, prefix }
              : { client: 'pglite', prefix },
          },
        }),
        { logger: MockLoggerService.create() },
      );
      managers.set(key, manager);
    }
    return manager;
  }

  #assertEnabled(id: TestDatabaseId) {
    if (!allIds.includes(id)) {
      throw TestDatabaseError.unknownId(id, allIds);
    }
    if (!this.#ids.includes(id)) {
      throw TestDatabaseError.notEnabled(id, this.#ids);
    }
    if (id === 'POSTGRES') {
      readPostgresUrl();
    }
  }
}

function readPostgresUrl(): string {
  const url = process.env[postgresUrlVariable];
  if (url === undefined || url === '') {
    throw TestDatabaseError.postgresUnset(postgresUrlVariable);
  }
  if (!/^postgres(ql)?:\/\//.test(url) || !URL.canParse(url)) {
    throw TestDatabaseError.postgresInvalidUrl(postgresUrlVariable);
  }
  return url;
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

/**
 * Closes every manager and drops the PostgreSQL databases this file
 * created.
 */
async function closeTestDatabases(): Promise<void> {
  const closing = [...managers.values()];
  managers.clear();
  await Promise.all(closing.map(m => m.close()));
  const created = [...createdPostgresDatabases];
  createdPostgresDatabases.clear();
  for (const [url, names] of created) {
    const admin = knex({
      client: 'pg',
      connection: url,
      pool: { min: 0, max: 4 },
    });
    try {
      await Promise.all(
        [...names].map(name =>
          admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]),
        ),
      );
    } finally {
      await admin.destroy();
    }
  }
}

afterTestFile('close databases', closeTestDatabases);
