import type { Knex } from 'knex';

/**
 * The plugin's own database.
 *
 * @public
 */
export interface DatabaseService {
  /** A knex client bound to this plugin's database or schema. */
  getClient(): Promise<Knex>;
  /**
   * Set when `skipMigrations` is configured: the plugin should not migrate.
   * @defaultValue migrations run
   */
  migrations?: { skip?: boolean };
}
