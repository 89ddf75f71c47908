import { databaseConnectionErrors } from './databaseErrors';

const server =
  "database 'plinth_plugin_catalog' on db.internal:5432 as user 'app'";

function causeWithCode(code?: string) {
  return Object.assign(new Error('driver error'), code ? { code } : {});
}

describe('databaseConnectionErrors', () => {
  it('keeps the driver error as the cause', () => {
    const cause = causeWithCode('ECONNREFUSED');

    const error = databaseConnectionErrors.postgres(
      "plugin 'catalog'",
      server,
      'backend.database.connection',
      cause,
    );

    expect(error.name).toBe('DatabaseError');
    expect(error.code).toBe('DATABASE_CONNECTION_FAILED');
    expect(error.cause).toBe(cause);
  });

  it.each([
    [
      'ENOTFOUND',
      "Check that the server is running and that the host and port at 'backend.database.connection' are right.",
    ],
    ['28P01', "Check the user and password at 'backend.database.connection'."],
  ])('explains the driver code %s', (code, fix) => {
    expect(
      databaseConnectionErrors.postgres(
        "plugin 'catalog'",
        server,
        'backend.database.connection',
        causeWithCode(code),
      ).message,
    ).toBe(
      `Could not open the database of plugin 'catalog': PostgreSQL ${server} failed (${code}). ${fix}`,
    );
  });

  it('points at the settings for a driver code it does not explain', () => {
    expect(
      databaseConnectionErrors.postgres(
        "plugin 'catalog'",
        server,
        'backend.database.plugin.catalog.connection',
        causeWithCode('53300'),
      ).message,
    ).toBe(
      `Could not open the database of plugin 'catalog': PostgreSQL ${server} failed (53300). Check the settings at 'backend.database.plugin.catalog.connection'; the cause has the details.`,
    );
  });

  it('leaves out the code when the driver gives none', () => {
    expect(
      databaseConnectionErrors.postgres(
        "plugin 'catalog'",
        server,
        'backend.database.connection',
        causeWithCode(),
      ).message,
    ).toBe(
      `Could not open the database of plugin 'catalog': PostgreSQL ${server} failed. Check the settings at 'backend.database.connection'; the cause has the details.`,
    );
  });
});
