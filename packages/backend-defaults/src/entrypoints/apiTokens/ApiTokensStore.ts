import type {
  ApiToken,
  ApiTokenScopes,
} from '@plinth/backend-plugin-api/alpha';
import { migrateDatabase } from '@plinth/backend-plugin-api';
import type { Knex } from 'knex';

/**
 * One row per token name. The secret is never stored: `token_hash` is its
 * SHA-256 digest, which is enough because a secret is 256 random bits, so
 * no dictionary or brute force can invert it (a slow password hash buys
 * nothing for such secrets and would make every lookup expensive).
 */
export const API_TOKENS_TABLE = 'plinth_auth__api_tokens';
/** Apart from the tables of any plugin that shares the database of 'auth'. */
export const API_TOKENS_MIGRATIONS_TABLE = 'plinth_auth__knex_migrations';

const migrations: Record<string, Knex.Migration> = {
  '20261206000000_api_tokens': {
    async up(knex) {
      await knex.schema.createTable(API_TOKENS_TABLE, table => {
        table.bigIncrements('id').primary();
        table.text('name').notNullable().unique();
        table.text('token_hash').notNullable().unique();
        table.text('scopes_json').notNullable();
        table.text('created_by').notNullable();
        table
          .timestamp('created_at', { useTz: true })
          .notNullable()
          .defaultTo(knex.fn.now());
        table.timestamp('expires_at', { useTz: true }).notNullable();
        table.timestamp('revoked_at', { useTz: true }).nullable();
        table.text('revoked_by').nullable();
        table.timestamp('last_used_at', { useTz: true }).nullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable(API_TOKENS_TABLE);
    },
  },
};

/**
 * A stored token with the id that `touch` takes.
 *
 * @public
 */
export interface StoredApiToken extends ApiToken {
  id: number;
}

interface Row {
  id: string | number;
  name: string;
  scopes_json: string;
  created_by: string;
  created_at: Date | string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
  revoked_by: string | null;
  last_used_at: Date | string | null;
}

/**
 * The API tokens table. Every statement is one short query or a small
 * transaction, so PGlite's single connection is never held.
 *
 * @public
 */
export class ApiTokensStore {
  readonly #knex: Knex;

  /** Creates or updates the table, then returns the store. */
  static async open(knex: Knex): Promise<ApiTokensStore> {
    await migrateDatabase(knex, {
      migrations,
      tableName: API_TOKENS_MIGRATIONS_TABLE,
      failure: 'Could not create the API tokens table',
      fix: "Check that the database of 'auth' (backend.database, overridable under backend.database.plugin.auth) is reachable and that its user may create tables.",
    });
    return new ApiTokensStore(knex);
  }

  private constructor(knex: Knex) {
    this.#knex = knex;
  }

  /**
   * Stores a new token, replacing a revoked or expired one of the same
   * name so that names can be reused; resolves with the active token that
   * holds the name instead, when there is one.
   */
  async insert(token: {
    name: string;
    tokenHash: string;
    scopes: ApiTokenScopes;
    createdBy: string;
    expiresAt: Date;
  }): Promise<{ created: StoredApiToken } | { conflict: StoredApiToken }> {
    try {
      return await this.#insert(token);
    } catch (error) {
      // Another replica stored the name between the check and the insert.
      const winner = isUniqueViolation(error)
        ? await this.findByName(token.name)
        : undefined;
      if (winner) {
        return { conflict: winner };
      }
      throw error;
    }
  }

  #insert(token: Parameters<ApiTokensStore['insert']>[0]) {
    return this.#knex.transaction(async trx => {
      const existing = await trx<Row>(API_TOKENS_TABLE)
        .where('name', token.name)
        .forUpdate()
        .first();
      if (existing && isActive(existing)) {
        return { conflict: toApiToken(existing) } as const;
      }
      if (existing) {
        await trx(API_TOKENS_TABLE).where('id', existing.id).delete();
      }
      const [row] = await trx(API_TOKENS_TABLE)
        .insert({
          name: token.name,
          token_hash: token.tokenHash,
          scopes_json: JSON.stringify(token.scopes),
          created_by: token.createdBy,
          expires_at: token.expiresAt,
        })
        .returning<Row[]>('*');
      return { created: toApiToken(row) } as const;
    });
  }

  async list(): Promise<StoredApiToken[]> {
    const rows = await this.#knex<Row>(API_TOKENS_TABLE).orderBy('name');
    return rows.map(toApiToken);
  }

  async findByName(name: string): Promise<StoredApiToken | undefined> {
    const row = await this.#knex<Row>(API_TOKENS_TABLE)
      .where('name', name)
      .first();
    return row && toApiToken(row);
  }

  async findByHash(tokenHash: string): Promise<StoredApiToken | undefined> {
    const row = await this.#knex<Row>(API_TOKENS_TABLE)
      .where('token_hash', tokenHash)
      .first();
    return row && toApiToken(row);
  }

  /**
   * Marks the token revoked unless it already is; resolves with the token
   * as stored afterwards, or `undefined` when no token has the name.
   */
  async revoke(
    name: string,
    revokedBy: string,
  ): Promise<StoredApiToken | undefined> {
    await this.#knex(API_TOKENS_TABLE)
      .where('name', name)
      .whereNull('revoked_at')
      .update({ revoked_at: this.#knex.fn.now(), revoked_by: revokedBy });
    return this.findByName(name);
  }

  /** Records that a plugin accepted the token now. */
  async touch(id: number): Promise<void> {
    await this.#knex(API_TOKENS_TABLE)
      .where('id', id)
      .update({ last_used_at: this.#knex.fn.now() });
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

function isActive(row: Row): boolean {
  return (
    row.revoked_at === null && new Date(row.expires_at).getTime() > Date.now()
  );
}

function toApiToken(row: Row): StoredApiToken {
  const token: StoredApiToken = {
    id: Number(row.id),
    name: row.name,
    scopes: JSON.parse(row.scopes_json) as ApiTokenScopes,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    expiresAt: toIso(row.expires_at),
  };
  if (row.revoked_at !== null) {
    token.revokedAt = toIso(row.revoked_at);
    token.revokedBy = row.revoked_by ?? undefined;
  }
  if (row.last_used_at !== null) {
    token.lastUsedAt = toIso(row.last_used_at);
  }
  return token;
}

function toIso(value: Date | string): string {
  return new Date(value).toISOString();
}
