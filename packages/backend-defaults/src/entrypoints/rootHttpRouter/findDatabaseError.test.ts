import { ForwardedError, InputError } from '@plinth/errors';
import { KnexTimeoutError } from 'knex';
import { DatabaseError } from 'pg';
import { DatabaseAcquireTimeoutError } from '../database/DatabaseAcquireTimeoutError';
import { findDatabaseError } from './findDatabaseError';

/** An error as pg and PGlite raise it for a query on a missing table. */
function missingTableError(): DatabaseError {
  return Object.assign(
    new DatabaseError('relation "t" does not exist', 0, 'error'),
    { code: '42P01', severity: 'ERROR', routine: 'parserOpenTable' },
  );
}

describe('findDatabaseError', () => {
  it('finds an error with a SQLSTATE code and a severity', () => {
    const error = missingTableError();
    expect(findDatabaseError(error)).toBe(error);
  });

  it("finds knex's own errors", () => {
    const error = new KnexTimeoutError('Knex: Timeout acquiring a connection.');
    expect(findDatabaseError(error)).toBe(error);
  });

  it('finds a timeout waiting for the embedded database connection', () => {
    const error = new DatabaseAcquireTimeoutError(
      "plugin 'catalog'",
      "plugin 'scheduler'",
      60_000,
    );
    expect(findDatabaseError(new ForwardedError('outer', error))).toBe(error);
  });

  it('finds a database error in the cause chain', () => {
    const error = missingTableError();
    expect(
      findDatabaseError(
        new ForwardedError('outer', new ForwardedError('inner', error)),
      ),
    ).toBe(error);
  });

  it('ignores errors that only look alike', () => {
    const fsError = Object.assign(new Error('no such file'), {
      code: 'ENOENT',
    });
    const noSeverity = Object.assign(new Error('x'), { code: '42P01' });
    expect(findDatabaseError(fsError)).toBeUndefined();
    expect(findDatabaseError(noSeverity)).toBeUndefined();
    expect(findDatabaseError(new InputError('x'))).toBeUndefined();
  });

  it('stops at a cause chain that loops', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(findDatabaseError(a)).toBeUndefined();
  });
});
