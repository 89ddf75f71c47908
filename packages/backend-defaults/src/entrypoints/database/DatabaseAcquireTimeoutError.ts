import { CustomErrorBase } from '@plinth/errors';

/**
 * A plugin waited too long for the single embedded (PGlite) connection,
 * usually because a query ran outside a transaction that was still open.
 *
 * @public
 */
export class DatabaseAcquireTimeoutError extends CustomErrorBase {
  readonly name = 'DatabaseAcquireTimeoutError' as const;

  /**
   * @param owner - who waited, such as `plugin 'catalog'`.
   * @param holder - who held the connection, such as `plugin 'scheduler'`.
   */
  constructor(
    readonly owner: string,
    readonly holder: string,
    readonly timeoutMillis: number,
  ) {
    super(
      `Timed out after ${timeoutMillis} ms: ${owner} waited for the embedded database connection, which ${holder} still holds. ` +
        'PGlite has one connection shared by all plugins, so a query made outside an open transaction waits until that transaction ends; ' +
        "run the query inside the transaction with .transacting(trx), or raise 'backend.database.pool.acquireTimeoutMillis'.",
    );
  }
}
