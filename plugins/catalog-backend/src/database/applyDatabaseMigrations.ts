import { migrateDatabase } from '@plinth/backend-plugin-api';
import type { Knex } from 'knex';
import { migration as init } from './migrations/20250701000000_init';
import { migration as catalogGeneration } from './migrations/20261124000000_catalogGeneration';
import { migration as processingClaims } from './migrations/20261201000000_processingClaims';
import { migration as catalogGenerationPerBackend } from './migrations/20261201000001_catalogGenerationPerBackend';
import { migration as searchKeyValueCovering } from './migrations/20261206000000_searchKeyValueCovering';
import { migration as entityHistory } from './migrations/20261207000001_entityHistory';
import { migration as catalogDiagnostics } from './migrations/20261207000003_catalogDiagnostics';
import { migration as historyPublisherLease } from './migrations/20261207000009_historyPublisherLease';
import { migration as relationsCascadeByStatement } from './migrations/20261207000010_relationsCascadeByStatement';
import { migration as firstRunQueueIndex } from './migrations/20261207000011_firstRunQueueIndex';
import { migration as stitchQueueTable } from './migrations/20261207000012_stitchQueueTable';
import { migration as searchFacetOrder } from './migrations/20261207000013_searchFacetOrder';
import { migration as stitchQueueFirstStitch } from './migrations/20261207000014_stitchQueueFirstStitch';

/** Where the catalog records its migrations, apart from other users of the database. */
export const CATALOG_MIGRATIONS_TABLE = 'catalog__knex_migrations';

const migrations: Record<string, Knex.Migration> = {
  '20250701000000_init': init,
  '20261124000000_catalogGeneration': catalogGeneration,
  '20261201000000_processingClaims': processingClaims,
  '20261201000001_catalogGenerationPerBackend': catalogGenerationPerBackend,
  '20261206000000_searchKeyValueCovering': searchKeyValueCovering,
  '20261207000001_entityHistory': entityHistory,
  '20261207000003_catalogDiagnostics': catalogDiagnostics,
  '20261207000009_historyPublisherLease': historyPublisherLease,
  '20261207000010_relationsCascadeByStatement': relationsCascadeByStatement,
  '20261207000011_firstRunQueueIndex': firstRunQueueIndex,
  '20261207000012_stitchQueueTable': stitchQueueTable,
  '20261207000013_searchFacetOrder': searchFacetOrder,
  '20261207000014_stitchQueueFirstStitch': stitchQueueFirstStitch,
};

/**
 * Brings the catalog's tables up to date. Replicas starting together wait
 * for each other's migration lock instead of failing.
 *
 * @throws {@link @plinth/errors#ForwardedError} when migrating fails, with
 *   the database error as its cause.
 */
export async function applyDatabaseMigrations(
  knex: Knex,
  options: { lockWaitMs?: number } = {},
): Promise<void> {
  await migrateDatabase(knex, {
    migrations,
    tableName: CATALOG_MIGRATIONS_TABLE,
    failure: 'Could not migrate the catalog database',
    fix: "Check that the catalog's database is reachable and that its user may create tables.",
    lockWaitMs: options.lockWaitMs,
  });
}
