/**
 * Times each query of the catalog's self-diagnosis on PostgreSQL over a
 * catalog written straight into the tables: 10,000 components under 200
 * location entities of one provider, owned by 100 groups (ownedBy and
 * ownerOf relations, kind and owner search rows), 5% of them failing,
 * 1% stuck for processing, 50 conflicts. One connection, so the sections
 * run one after the other and each statement's time is its own.
 *
 *   node -r sucrase/register/ts bench/catalog/diagnosticsQueryCost.ts POSTGRES_URL
 *
 * With `EXPLAIN='<sql>'` it prints that statement's plan over the same
 * data instead.
 */
import knexFactory, { type Knex } from 'knex';
import { applyDatabaseMigrations } from '../../plugins/catalog-backend/src/database/applyDatabaseMigrations';
import { readDiagnostics } from '../../plugins/catalog-backend/src/database/readDiagnostics';
import { readProcessingErrors } from '../../plugins/catalog-backend/src/database/processingErrors';

const entities = 10_000;
const locations = 200;
const groups = 100;
const database = 'diagnostics_bench';
const runs = 7;

async function main(url: string): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: url });
  await admin.raw(`DROP DATABASE IF EXISTS ${database}`);
  await admin.raw(`CREATE DATABASE ${database}`);
  const target = new URL(url);
  target.pathname = `/${database}`;
  const knex = knexFactory({
    client: 'pg',
    connection: target.toString(),
    pool: { min: 1, max: 1 },
  });
  try {
    await applyDatabaseMigrations(knex);
    await seed(knex);
    await knex.raw('ANALYZE');
    if (process.env.EXPLAIN) {
      const sql = `EXPLAIN ANALYZE ${process.env.EXPLAIN}`;
      const plan = await knex.raw<{ rows: Array<Record<string, string>> }>(sql);
      print(plan.rows.map(r => Object.values(r)[0]).join('\n'));
      return;
    }
    const timings = new Map<string, number[]>();
    const started = new Map<string, number>();
    knex.on('query', (q: { __knexQueryUid: string }) =>
      started.set(q.__knexQueryUid, performance.now()),
    );
    let section = '';
    knex.on(
      'query-response',
      (_r: unknown, q: { __knexQueryUid: string; sql: string }) => {
        const name = `${section}: ${describe(q.sql)}`;
        const list = timings.get(name) ?? [];
        list.push(performance.now() - started.get(q.__knexQueryUid)!);
        timings.set(name, list);
      },
    );
    const readFilter = { key: 'kind', values: ['component'] };
    for (let i = 0; i < runs; i++) {
      section = 'allow';
      await readDiagnostics(knex, { limit: 100, stuckAfterMs: 300_000 });
      await readProcessingErrors(knex, {
        limit: 100,
        owner: 'group:default/team-7',
      });
      section = 'conditional';
      await readDiagnostics(knex, {
        limit: 100,
        stuckAfterMs: 300_000,
        readFilter,
      });
      await readProcessingErrors(knex, { limit: 100, readFilter });
    }
    for (const [name, list] of timings) {
      const sorted = list.sort((a, b) => a - b);
      print(
        `${name.padEnd(52)} median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms`,
      );
    }
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${database}`);
    await admin.destroy();
  }
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A name for a statement of the diagnosis, from its text. */
function describe(sql: string): string {
  const checks: Array<[RegExp, string]> = [
    [/claim_id IS NOT NULL AND claim_expires_at/, 'claims'],
    [/MIN\(\W?next_update_at/, 'processing queue'],
    [/MIN\(\W?next_stitch_at/, 'stitch queue'],
    [/r\.next_update_at <=/, 'stuck unprocessed'],
    [/q\.next_stitch_at <=/, 'stuck unstitched'],
    [/AS grouping/, 'errors by location, owner, provider'],
    [/COUNT\(\*\) OVER/, 'orphans'],
    [/FROM relations AS rel/, 'fan-in'],
    [/FROM location_key_conflicts/, 'conflicts'],
    [/ORDER BY f\.entity_ref/, 'processing-errors page'],
  ];
  return checks.find(([pattern]) => pattern.test(sql))?.[1] ?? sql.slice(0, 40);
}

async function seed(knex: Knex): Promise<void> {
  const locationRows = Array.from({ length: locations }, (_, l) => ({
    entity_id: `loc-${l}`,
    entity_ref: `location:default/loc-${l}`,
    unprocessed_entity: JSON.stringify({
      kind: 'Location',
      metadata: { name: `loc-${l}` },
    }),
    unprocessed_hash: 'h',
    processed_entity: '{}',
    location_key: `url:https://example.com/${l}/catalog-info.yaml`,
    next_update_at: knex.raw(`now() + INTERVAL '1 hour'`),
  }));
  await knex.batchInsert('refresh_state', locationRows, 500);
  await knex.batchInsert(
    'refresh_state_references',
    locationRows.map(l => ({
      source_key: 'bench',
      target_entity_ref: l.entity_ref,
    })),
    500,
  );
  const rows = Array.from({ length: entities }, (_, i) => {
    const location = `url:https://example.com/${i % locations}/catalog-info.yaml`;
    const failing = i % 20 === 0;
    return {
      entity_id: `c-${i}`,
      entity_ref: `component:default/c-${i}`,
      unprocessed_entity: JSON.stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: `c-${i}`,
          annotations: { 'backstage.io/managed-by-location': location },
        },
        spec: { type: 'service', owner: `team-${i % groups}` },
      }),
      unprocessed_hash: 'h',
      processed_entity: '{}',
      location_key: location,
      errors: failing
        ? JSON.stringify([{ name: 'InputError', message: 'bad' }])
        : '[]',
      errors_since: failing ? knex.raw(`now() - INTERVAL '1 day'`) : null,
      next_update_at: knex.raw(
        i % 100 === 0
          ? `now() - INTERVAL '1 hour'`
          : `now() + INTERVAL '1 hour'`,
      ),
    };
  });
  await knex.batchInsert('refresh_state', rows, 500);
  await knex.batchInsert(
    'refresh_state_references',
    rows.map((r, i) => ({
      source_entity_ref: `location:default/loc-${i % locations}`,
      target_entity_ref: r.entity_ref,
    })),
    500,
  );
  await knex.batchInsert(
    'relations',
    rows.flatMap((r, i) => [
      {
        originating_entity_id: r.entity_id,
        source_entity_ref: r.entity_ref,
        type: 'ownedBy',
        target_entity_ref: `group:default/team-${i % groups}`,
      },
      {
        originating_entity_id: r.entity_id,
        source_entity_ref: `group:default/team-${i % groups}`,
        type: 'ownerOf',
        target_entity_ref: r.entity_ref,
      },
    ]),
    1000,
  );
  await knex.batchInsert(
    'final_entities',
    [...locationRows, ...rows].map(r => ({
      entity_id: r.entity_id,
      entity_ref: r.entity_ref,
      hash: 'h',
      final_entity: r.unprocessed_entity,
      last_updated_at: knex.fn.now(),
    })),
    500,
  );
  await knex.batchInsert(
    'search',
    rows.flatMap((r, i) => [
      {
        entity_id: r.entity_id,
        key: 'kind',
        value: 'component',
        original_value: 'Component',
      },
      {
        entity_id: r.entity_id,
        key: 'spec.owner',
        value: `team-${i % groups}`,
        original_value: `team-${i % groups}`,
      },
    ]),
    1000,
  );
  await knex.batchInsert(
    'location_key_conflicts',
    Array.from({ length: 50 }, (_, i) => ({
      entity_ref: `component:default/c-${i * 7}`,
      source_entity_ref: `location:default/loc-${(i + 1) % locations}`,
      location_key: 'url:https://example.com/other.yaml',
      existing_location_key: 'url:https://example.com/0/catalog-info.yaml',
    })),
    500,
  );
}

main(process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/postgres').catch(
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  },
);
