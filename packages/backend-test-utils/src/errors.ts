import { CustomErrorBase } from '@plinth/errors';

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
      `Unknown test database '${id}'. Use one of ${supported.map(s => `'${s}'`).join(', ')}.`,
    );
  }

  /** The id was left out of `TestDatabases.create({ ids })`. */
  static notEnabled(id: string, ids: readonly string[]): TestDatabaseError {
    return new TestDatabaseError(
      `Test database '${id}' is not enabled: TestDatabases.create() was given ids ${ids.map(s => `'${s}'`).join(', ')}. Add '${id}' to ids, or iterate over eachSupportedId().`,
    );
  }

  /** `POSTGRES` was asked for while its environment variable is unset. */
  static postgresUnset(variable: string): TestDatabaseError {
    return new TestDatabaseError(
      `Test database 'POSTGRES' is not available because ${variable} is not set. Set it to a server URL such as 'postgres://postgres@127.0.0.1:5432/postgres', or iterate over eachSupportedId(), which leaves POSTGRES out.`,
    );
  }

  /** The variable holds something that is not a `postgres://` URL. */
  static postgresInvalidUrl(variable: string): TestDatabaseError {
    return new TestDatabaseError(
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
      `Could not create a test database on '${url}' (from ${variable}). Start the server or fix the URL, or unset ${variable} to test on PGlite only; the cause has the details.`,
      cause,
    );
  }

  private constructor(message: string, cause?: unknown) {
    super(message, cause);
  }
}
