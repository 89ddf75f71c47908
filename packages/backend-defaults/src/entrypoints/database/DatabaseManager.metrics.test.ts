import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { mockServices } from '@plinth/backend-test-utils';
import type { JsonObject } from '@plinth/backend-plugin-api';
import { knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { ConfigReader } from '../../config';
import { DatabaseManager } from './DatabaseManager';

/** A reader that collects only when the test asks. */
class CollectingReader extends MetricReader {
  protected override async onShutdown() {}
  protected override async onForceFlush() {}

  /** The value of `name` for the data point whose attributes match. */
  async pointOf(name: string, attributes: Record<string, string>) {
    const { resourceMetrics } = await this.collect();
    const metric = resourceMetrics.scopeMetrics
      .flatMap(s => s.metrics)
      .find(m => m.descriptor.name === name);
    const point = metric?.dataPoints.find(p =>
      Object.entries(attributes).every(([k, v]) => p.attributes[k] === v),
    );
    return point?.value;
  }
}

/**
 * Reads `read` on each turn of the event loop until it gives `expected`,
 * for at most 1000 turns, and returns the last value read: the query
 * reaches the pool after a number of turns knex does not promise.
 */
async function waitFor(read: () => Promise<unknown>, expected: unknown) {
  let value = await read();
  for (let turn = 0; turn < 1000 && value !== expected; turn += 1) {
    await new Promise(resolve => setImmediate(resolve));
    value = await read();
  }
  return value;
}

const url = process.env.PLINTH_TEST_POSTGRES_URL;
const prefix = `plinth_metrics_${randomBytes(4).toString('hex')}_`;
const targets: Array<[string, JsonObject]> = [['PGlite', { client: 'pglite' }]];
if (url) {
  targets.push(['PostgreSQL', { client: 'pg', connection: url, prefix }]);
}

describe.each(targets)('DatabaseManager on %s', (_name, database) => {
  let manager: DatabaseManager;
  let reader: CollectingReader;
  let provider: MeterProvider;

  beforeAll(() => {
    reader = new CollectingReader();
    provider = new MeterProvider({ readers: [reader] });
    manager = DatabaseManager.fromConfig(
      new ConfigReader({
        backend: {
          database: {
            ...database,
            plugin: { pools: { pool: { min: 0, max: 1 } } },
          },
        },
      }),
      { logger: mockServices.rootLogger() },
    );
    manager.observePools(provider.getMeter('test'));
  });

  afterAll(async () => {
    await manager.close();
    await provider.shutdown();
    if (database.client === 'pg') {
      const admin = knex({ client: 'pg', connection: url! });
      await admin.raw('DROP DATABASE IF EXISTS ??', [`${prefix}pools`]);
      await admin.destroy();
    }
  });

  it('reports a connection held by a transaction as used and a query waiting behind it as pending', async () => {
    const usage = 'db.client.connections.usage';
    const pending = 'db.client.connections.pending_requests';
    await expect(reader.pointOf(usage, { pool: 'pools' })).resolves.toBe(
      undefined,
    );
    const client = await manager
      .forPlugin('pools', { logger: mockServices.logger() })
      .getClient();
    await expect(
      reader.pointOf(usage, { pool: 'pools', state: 'used' }),
    ).resolves.toBe(0);

    const trx = await client.transaction();
    await expect(
      reader.pointOf(usage, { pool: 'pools', state: 'used' }),
    ).resolves.toBe(1);
    await expect(
      reader.pointOf(usage, { pool: 'pools', state: 'idle' }),
    ).resolves.toBe(0);
    await expect(reader.pointOf(pending, { pool: 'pools' })).resolves.toBe(0);

    const waiting = client.raw('SELECT 1');
    const settled = waiting.then(() => {});
    await expect(
      waitFor(() => reader.pointOf(pending, { pool: 'pools' }), 1),
    ).resolves.toBe(1);
    await trx.commit();
    await settled;
    await expect(reader.pointOf(pending, { pool: 'pools' })).resolves.toBe(0);
    await expect(
      reader.pointOf(usage, { pool: 'pools', state: 'used' }),
    ).resolves.toBe(0);
  }, 60_000);
});
