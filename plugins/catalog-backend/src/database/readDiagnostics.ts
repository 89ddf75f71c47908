/*
 * The catalog's self-diagnosis: the queues and the entities stuck in
 * them, processing errors grouped, orphans, the largest relation
 * fan-ins and location key conflicts. Each section is one query, bounded
 * by its `limit`; everything that names or counts entities covers only
 * those the caller may read.
 */
import type { Knex } from 'knex';
import type { EntityPermissionFilter } from '../entities/EntitiesCatalog';
import { buildPermissionIdSetSql } from '../entities/entityFilterSql';
import { isReferenced } from './sqlIdioms';
import {
  parseErrors,
  readableSql,
  readErrorSummary,
  type ErrorSummary,
} from './processingErrors';
import { readProcessingBacklog, readStitchBacklog } from './readQueueGauges';
import type { StoredError } from '../shared/toStoredError';

/** What a diagnosis covers. */
export interface DiagnosticsOptions {
  /** The caller's `catalog.entity.read` filter; none when it reads all. */
  readFilter?: EntityPermissionFilter;
  /** The most items of each list. */
  limit: number;
  /** How long an entity may wait in a queue before it counts as stuck. */
  stuckAfterMs: number;
}

/** An entity that has waited in a queue longer than the threshold. */
export interface StuckEntity {
  entityRef: string;
  /** When it became due. */
  since: string;
  ageSeconds: number;
  /** The errors of its last processing, when it reported any. */
  errors?: StoredError[];
}

/** The report of `GET /diagnostics`. */
export interface CatalogDiagnostics {
  generatedAt: string;
  stuckAfterSeconds: number;
  queues: {
    processing: { due: number; oldestDueAgeSeconds: number; claimed: number };
    stitching: { pending: number; oldestAgeSeconds: number };
  };
  stuck: { unprocessed: StuckEntity[]; unstitched: StuckEntity[] };
  errors: ErrorSummary;
  orphans: { count: number; sample: string[] };
  fanIn: Array<{ entityRef: string; relations: number }>;
  conflicts: Array<{
    entityRef: string;
    locationKey: string | null;
    conflictingLocationKey: string | null;
    emittedBy: { provider: string } | { entityRef: string };
    since: string;
  }>;
}

/**
 * Diagnoses the catalog. The queue figures are counts over the whole
 * catalog and name no entity; the rest covers the entities the caller
 * may read.
 */
export async function readDiagnostics(
  knex: Knex,
  options: DiagnosticsOptions,
): Promise<CatalogDiagnostics> {
  const scope = { readFilter: options.readFilter, limit: options.limit };
  const [
    processing,
    claimed,
    stitching,
    unprocessed,
    unstitched,
    errors,
    orphans,
    fanIn,
    conflicts,
  ] = await Promise.all([
    readProcessingBacklog(knex),
    countClaims(knex),
    readStitchBacklog(knex),
    readStuck(knex, 'processing', options),
    readStuck(knex, 'stitching', options),
    readErrorSummary(knex, scope),
    readOrphans(knex, scope),
    readFanIn(knex, scope),
    readConflicts(knex, scope),
  ]);
  return {
    generatedAt: new Date().toISOString(),
    stuckAfterSeconds: options.stuckAfterMs / 1000,
    queues: {
      processing: {
        due: processing.depth,
        oldestDueAgeSeconds: processing.oldestAgeSeconds,
        claimed,
      },
      stitching: {
        pending: stitching.depth,
        oldestAgeSeconds: stitching.oldestAgeSeconds,
      },
    },
    stuck: { unprocessed, unstitched },
    errors,
    orphans,
    fanIn,
    conflicts,
  };
}

/** Claims a live run holds, from the partial index over claimed rows. */
async function countClaims(knex: Knex): Promise<number> {
  const result = await knex.raw<{ rows: Array<{ count: string | number }> }>(
    `SELECT COUNT(*) AS count FROM refresh_state
     WHERE claim_id IS NOT NULL AND claim_expires_at > now()`,
  );
  return Number(result.rows[0].count);
}

/** Where each queue keeps its due times, with `r` the entities' refresh state. */
const stuckQueues = {
  processing: {
    from: 'refresh_state AS r',
    since: 'r.next_update_at',
    unclaimed:
      'AND (r.claim_expires_at IS NULL OR r.claim_expires_at <= now())',
  },
  stitching: {
    from: 'stitch_queue AS q JOIN refresh_state AS r ON r.entity_id = q.entity_id',
    since: 'q.next_stitch_at',
    unclaimed: '',
  },
} as const;

/**
 * The entities due in a queue for longer than the threshold, longest
 * first, from the queue's index. An entity a live run holds is being
 * processed, not stuck; a lapsed claim no longer protects it.
 */
async function readStuck(
  knex: Knex,
  queue: keyof typeof stuckQueues,
  options: DiagnosticsOptions,
): Promise<StuckEntity[]> {
  const readable = readableSql(options.readFilter);
  const { from, since, unclaimed } = stuckQueues[queue];
  const result = await knex.raw<{
    rows: Array<{
      entity_ref: string;
      since: Date | string;
      age: string | number;
      errors: string | null;
    }>;
  }>(
    `SELECT r.entity_ref, ${since} AS since, r.errors,
       EXTRACT(EPOCH FROM now() - ${since}) AS age
     FROM ${from}
     WHERE ${since} <= now() - CAST(? AS float8) * INTERVAL '1 millisecond'
       ${unclaimed}
       AND ${readable.sql}
     ORDER BY ${since}, r.entity_ref
     LIMIT ?`,
    [options.stuckAfterMs, ...readable.bindings, options.limit],
  );
  return result.rows.map(row => {
    const errors = queue === 'processing' ? parseErrors(row.errors) : [];
    return {
      entityRef: row.entity_ref,
      since: new Date(row.since).toISOString(),
      ageSeconds: Math.floor(Number(row.age)),
      ...(errors.length > 0 ? { errors } : {}),
    };
  });
}

/**
 * Entities that no provider and no parent references: with
 * `catalog.orphanStrategy: keep` they stay and are served; with `delete`
 * any here are left over. The count and a sample by ref, in one scan.
 */
async function readOrphans(
  knex: Knex,
  options: Pick<DiagnosticsOptions, 'readFilter' | 'limit'>,
): Promise<{ count: number; sample: string[] }> {
  const readable = readableSql(options.readFilter);
  const result = await knex.raw<{
    rows: Array<{ entity_ref: string; count: string | number }>;
  }>(
    `SELECT r.entity_ref, COUNT(*) OVER () AS count
     FROM refresh_state AS r
     WHERE NOT ${isReferenced('r.entity_ref')} AND ${readable.sql}
     ORDER BY r.entity_ref
     LIMIT ?`,
    [...readable.bindings, options.limit],
  );
  return {
    count: Number(result.rows[0]?.count ?? 0),
    sample: result.rows.map(row => row.entity_ref),
  };
}

/**
 * The entities with the most incoming relations, counting only relations
 * whose originating entity the caller may read, among targets it may
 * read: a count must not reveal relations it could not see.
 */
async function readFanIn(
  knex: Knex,
  options: Pick<DiagnosticsOptions, 'readFilter' | 'limit'>,
): Promise<Array<{ entityRef: string; relations: number }>> {
  const filter = options.readFilter;
  const sources = filter ? buildPermissionIdSetSql(filter) : undefined;
  const targets = filter ? buildPermissionIdSetSql(filter) : undefined;
  const result = await knex.raw<{
    rows: Array<{ target_entity_ref: string; relations: string | number }>;
  }>(
    `SELECT rel.target_entity_ref, COUNT(*) AS relations
     FROM relations AS rel
     ${sources ? `WHERE rel.originating_entity_id IN (${sources.sql})` : ''}
     GROUP BY rel.target_entity_ref
     ${
       targets
         ? `HAVING rel.target_entity_ref IN (
              SELECT f.entity_ref FROM final_entities AS f
              WHERE f.entity_id IN (${targets.sql}))`
         : ''
     }
     ORDER BY relations DESC, rel.target_entity_ref
     LIMIT ?`,
    [...(sources?.bindings ?? []), ...(targets?.bindings ?? []), options.limit],
  );
  return result.rows.map(row => ({
    entityRef: row.target_entity_ref,
    relations: Number(row.relations),
  }));
}

/**
 * Entities a source emitted but could not write because another
 * location owns their ref, oldest first; one a parent emitted is listed
 * only when the caller may read the parent too, which it names.
 */
async function readConflicts(
  knex: Knex,
  options: Pick<DiagnosticsOptions, 'readFilter' | 'limit'>,
): Promise<CatalogDiagnostics['conflicts']> {
  const readable = readableSql(options.readFilter);
  const parentReadable = options.readFilter
    ? buildPermissionIdSetSql(options.readFilter)
    : undefined;
  const result = await knex.raw<{
    rows: Array<{
      entity_ref: string;
      source_key: string | null;
      source_entity_ref: string | null;
      location_key: string | null;
      existing_location_key: string | null;
      detected_at: Date | string;
    }>;
  }>(
    `SELECT c.entity_ref, c.source_key, c.source_entity_ref, c.location_key,
       c.existing_location_key, c.detected_at
     FROM location_key_conflicts AS c
     JOIN refresh_state AS r ON r.entity_ref = c.entity_ref
     ${parentReadable ? 'LEFT JOIN refresh_state AS parent ON parent.entity_ref = c.source_entity_ref' : ''}
     WHERE ${readable.sql}
       ${parentReadable ? `AND (c.source_entity_ref IS NULL OR parent.entity_id IN (${parentReadable.sql}))` : ''}
     ORDER BY c.detected_at, c.entity_ref
     LIMIT ?`,
    [...readable.bindings, ...(parentReadable?.bindings ?? []), options.limit],
  );
  return result.rows.map(row => ({
    entityRef: row.entity_ref,
    locationKey: row.existing_location_key,
    conflictingLocationKey: row.location_key,
    emittedBy:
      row.source_key !== null
        ? { provider: row.source_key }
        : { entityRef: row.source_entity_ref! },
    since: new Date(row.detected_at).toISOString(),
  }));
}
