/**
 * Measures what capturing the catalog history costs the stitcher: the
 * time of writing N served entities (created, then each updated) through
 * the stitcher's own write, `writeStitchedEntities`, in its batches and
 * transactions, with `catalog.history` capture on and off, alternating,
 * on PostgreSQL. Prints entities per second and the overhead.
 *
 * Usage: yarn bench:history [N]
 * PostgreSQL: `PLINTH_BENCH_POSTGRES_URL`, default
 * `postgres://postgres@127.0.0.1:5432/postgres`; the run creates and drops
 * a database named `plinth_history_bench_<pid>`.
 */
import { knex as createKnex, type Knex } from 'knex';
import { applyDatabaseMigrations } from '../plugins/catalog-backend/src/database/applyDatabaseMigrations';
import { runTransaction } from '../plugins/catalog-backend/src/database/runTransaction';
import {
  writeStitchedEntities,
  type StitchedEntity,
} from '../plugins/catalog-backend/src/database/stitchedEntities';

const batchSize = 500;
const rounds = 3;

function entity(i: number, version: number): StitchedEntity {
  const json = JSON.stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `service-${i}`,
      namespace: 'default',
      uid: `uid-${i}`,
      description: `Service number ${i}, generated for the history benchmark`,
      annotations: {
        'backstage.io/managed-by-location': `url:https://git.example.com/acme/service-${i}/catalog-info.yaml`,
        'backstage.io/managed-by-origin-location': `url:https://git.example.com/acme/catalog.yaml`,
      },
      tags: ['java', 'payments'],
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/team-${i % 50}`,
      system: `system-${i % 20}`,
      version,
    },
    relations: [
      { type: 'ownedBy', targetRef: `group:default/team-${i % 50}` },
      { type: 'partOf', targetRef: `system:default/system-${i % 20}` },
    ],
  });
  return {
    entityId: `uid-${i}`,
    entityRef: `component:default/service-${i}`,
    hash: `${i}-${version}`,
    finalEntity: json,
    searchRows: [],
  };
}

async function writeAll(knex: Knex, count: number, version: number) {
  await queueAll(knex, count);
  const started = process.hrtime.bigint();
  for (let from = 0; from < count; from += batchSize) {
    const batch: StitchedEntity[] = [];
    for (let i = from; i < Math.min(count, from + batchSize); i += 1) {
      batch.push(entity(i, version));
    }
    await runTransaction(
      knex,
      tx =>
        writeStitchedEntities(
          tx,
          batch.map(e => ({ entityId: e.entityId, ticket: 'bench' })),
          batch,
        ),
      { derived: true },
    );
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Claims every entity for a stitch, as the stitcher would before writing. */
async function queueAll(knex: Knex, count: number) {
  for (let from = 0; from < count; from += 1000) {
    const rows = [];
    for (let i = from; i < Math.min(count, from + 1000); i += 1) {
      rows.push({
        entity_id: `uid-${i}`,
        next_stitch_at: knex.raw("now() + interval '1 hour'"),
        next_stitch_ticket: 'bench',
      });
    }
    await knex('stitch_queue').insert(rows);
  }
}

async function seed(knex: Knex, count: number) {
  await knex('final_entities').delete();
  await knex('refresh_state').delete();
  await knex('entity_history').delete();
  for (let from = 0; from < count; from += 1000) {
    const rows = [];
    for (let i = from; i < Math.min(count, from + 1000); i += 1) {
      rows.push({
        entity_id: `uid-${i}`,
        entity_ref: `component:default/service-${i}`,
        unprocessed_entity: '{}',
        unprocessed_hash: 'h',
        change_source: '{"type":"provider","name":"bench"}',
        next_update_at: knex.fn.now(),
      });
    }
    await knex('refresh_state').insert(rows);
  }
  await knex.raw('VACUUM ANALYZE');
}

async function measure(knex: Knex, count: number, capture: boolean) {
  await knex('entity_history_state')
    .where({ name: 'capture' })
    .update({ enabled: capture });
  await seed(knex, count);
  const createMs = await writeAll(knex, count, 0);
  const updateMs = await writeAll(knex, count, 1);
  return { createMs, updateMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const count = Number(process.argv[2] ?? 10_000);
  const url =
    process.env.PLINTH_BENCH_POSTGRES_URL ??
    'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `plinth_history_bench_${process.pid}`;
  const admin = createKnex({ client: 'pg', connection: url });
  await admin.raw(`CREATE DATABASE ${database}`);
  const target = new URL(url);
  target.pathname = `/${database}`;
  const knex = createKnex({
    client: 'pg',
    connection: target.toString(),
    pool: { min: 1, max: 1 },
  });
  try {
    await applyDatabaseMigrations(knex);
    const results = {
      on: [] as Array<{ createMs: number; updateMs: number }>,
      off: [] as Array<{ createMs: number; updateMs: number }>,
    };
    for (let round = 0; round < rounds; round += 1) {
      results.off.push(await measure(knex, count, false));
      results.on.push(await measure(knex, count, true));
    }
    for (const phase of ['createMs', 'updateMs'] as const) {
      const off = median(results.off.map(r => r[phase]));
      const on = median(results.on.map(r => r[phase]));
      const rate = (ms: number) => Math.round((count / ms) * 1000);
      process.stdout.write(
        `${phase === 'createMs' ? 'create' : 'update'}: ${rate(off)} entities/s without capture, ${rate(on)} with (+${(((on - off) / off) * 100).toFixed(1)}% time), median of ${rounds}, N=${count}\n`,
      );
    }
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${database}`);
    await admin.destroy();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exitCode = 1;
});
