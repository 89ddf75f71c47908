import { CustomErrorBase, quoteList } from '@plinth/errors';

/**
 * The codes of {@link TestDatabaseError}, one per reason a test database
 * could not be created.
 *
 * @public
 */
export type TestDatabaseErrorCode =
  | 'TEST_DATABASE_UNKNOWN_ID'
  | 'TEST_DATABASE_NOT_ENABLED'
  | 'TEST_DATABASE_POSTGRES_UNSET'
  | 'TEST_DATABASE_POSTGRES_INVALID_URL'
  | 'TEST_DATABASE_POSTGRES_UNREACHABLE';

/**
 * A test database could not be created: the kind is unknown, not enabled,
 * or its server is unreachable. Messages never show a password.
 *
 * @public
 */
export class TestDatabaseError extends CustomErrorBase {
  readonly name = 'TestDatabaseError' as const;

  /** `init()` or `factory()` was called with an id that is not supported. */
  static unknownId(
    id: string,
    supported: readonly string[],
  ): TestDatabaseError {
    return new TestDatabaseError(
      'TEST_DATABASE_UNKNOWN_ID',
      `Unknown test database '${id}'. Use one of ${quoteList(supported)}.`,
    );
  }

  /** The id was left out of `TestDatabases.create({ ids })`. */
  static notEnabled(id: string, ids: readonly string[]): TestDatabaseError {
    return new TestDatabaseError(
      'TEST_DATABASE_NOT_ENABLED',
      `Test database '${id}' is not enabled: TestDatabases.create() was given ids ${quoteList(ids)}. Add '${id}' to ids, or iterate over eachSupportedId().`,
    );
  }

  /** `POSTGRES` was asked for while its environment variable is unset. */
  static postgresUnset(variable: string): TestDatabaseError {
    return new TestDatabaseError(
      'TEST_DATABASE_POSTGRES_UNSET',
      `Test database 'POSTGRES' is not available because ${variable} is not set. Set it to a server URL such as 'postgres://postgres@127.0.0.1:5432/postgres', or iterate over eachSupportedId(), which leaves POSTGRES out.`,
    );
  }

  /** The variable holds something that is not a `postgres://` URL. */
  static postgresInvalidUrl(variable: string): TestDatabaseError {
    return new TestDatabaseError(
      'TEST_DATABASE_POSTGRES_INVALID_URL',
      `Test database 'POSTGRES' is not available because ${variable} is not a postgres:// URL. Set it to a URL such as 'postgres://postgres@127.0.0.1:5432/postgres'.`,
    );
  }

  /**
   * The server at the URL failed to create or open a database.
   * @param url - the URL without its password.
   */
  static postgresUnreachable(
    variable: string,
    url: string,
    cause: unknown,
  ): TestDatabaseError {
    return new TestDatabaseError(
      'TEST_DATABASE_POSTGRES_UNREACHABLE',
      `Could not create a test database on '${url}' (from ${variable}). Start the server or fix the URL, or unset ${variable} to test on PGlite only; the cause has the details.`,
      cause,
    );
  }

  private constructor(
    readonly code: TestDatabaseErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}
