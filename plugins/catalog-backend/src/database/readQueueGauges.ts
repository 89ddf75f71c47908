/*
 * The reads behind the catalog's gauges: how much work waits in the
 * processing queue of `refresh_state` and in `stitch_queue`, and how many
 * entities are served of each kind. The queues are one range scan of
 * their due rows each, cheap while little is due; the count by kind reads
 * a row per entity, so the caller runs it only when the catalog changed.
 */
import type { Knex } from 'knex';

/** How many rows of a queue are due, and how long the oldest has waited. */
export interface QueueBacklog {
  depth: number;
  /** Seconds since the oldest due row became due; 0 when none is due. */
  oldestAgeSeconds: number;
}

/**
 * The entities due for processing now. Claimed entities are not due: a
 * claim moves their next run to the end of its lease, and a run that
 * renews its lease keeps them even once that time has passed.
 */
export function readProcessingBacklog(knex: Knex): Promise<QueueBacklog> {
  return readBacklog(
    knex,
    'refresh_state',
    'next_update_at',
    'AND (claim_expires_at IS NULL OR claim_expires_at <= now())',
  );
}

/**
 * The entities waiting for a stitcher. A stitcher's claim moves the row's
 * time ahead by its lease, so rows being stitched are not counted.
 */
export function readStitchBacklog(knex: Knex): Promise<QueueBacklog> {
  return readBacklog(knex, 'stitch_queue', 'next_stitch_at');
}

/**
 * One range scan of the column's index over the due rows; times are the
 * database's `now()`, so replicas with skewed clocks report the same age.
 */
async function readBacklog(
  knex: Knex,
  table: 'refresh_state' | 'stitch_queue',
  column: 'next_update_at' | 'next_stitch_at',
  unclaimed = '',
): Promise<QueueBacklog> {
  const result = await knex.raw<{
    rows: Array<{ depth: string | number; age: string | number | null }>;
  }>(
    `SELECT COUNT(*) AS depth,
       EXTRACT(EPOCH FROM now() - MIN(??)) AS age
     FROM ??
     WHERE ?? <= now() ${unclaimed}`,
    [column, table, column],
  );
  const [row] = result.rows;
  return {
    depth: Number(row.depth),
    oldestAgeSeconds: Math.max(0, Number(row.age ?? 0)),
  };
}

/**
 * How many entities are served of each kind (lowercased), from the
 * `kind` rows of the search table, which its `(key, value)` index holds
 * alone.
 */
export async function countEntitiesByKind(
  knex: Knex,
): Promise<Map<string, number>> {
  const result = await knex.raw<{
    rows: Array<{ kind: string | null; count: string | number }>;
  }>(
    `SELECT value AS kind, COUNT(*) AS count
     FROM search
     WHERE key = 'kind'
     GROUP BY value`,
  );
  return new Map(
    result.rows.map(row => [row.kind ?? '', Number(row.count)] as const),
  );
}
