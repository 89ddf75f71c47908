import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { runTransaction } from './runTransaction';

const databases = TestDatabases.create({ ids: ['PGLITE'] });

function deadlock(): Error {
  return Object.assign(new Error('deadlock detected'), { code: '40P01' });
}

describe('runTransaction', () => {
  it('runs the work again when the database broke a deadlock', async () => {
    const knex = await databases.init('PGLITE');
    let attempts = 0;

    const result = await runTransaction(knex, async tx => {
      attempts += 1;
      await tx.raw('SELECT 1');
      if (attempts < 3) {
        throw deadlock();
      }
      return 'done';
    });

    expect(result).toBe('done');
    expect(attempts).toBe(3);
  });

  it('gives up after the last attempt', async () => {
    const knex = await databases.init('PGLITE');
    let attempts = 0;

    await expect(
      runTransaction(
        knex,
        async () => {
          attempts += 1;
          throw deadlock();
        },
        { attempts: 2 },
      ),
    ).rejects.toThrow('deadlock detected');
    expect(attempts).toBe(2);
  });

  it('does not run again after another failure', async () => {
    const knex = await databases.init('PGLITE');
    let attempts = 0;

    await expect(
      runTransaction(knex, async () => {
        attempts += 1;
        throw new Error('unique violation');
      }),
    ).rejects.toThrow('unique violation');
    expect(attempts).toBe(1);
  });

  it('commits a derived transaction without waiting for the WAL flush and without JIT, for that transaction only', async () => {
    const knex = await databases.init('PGLITE');
    const settings = async (tx: Knex.Transaction) => {
      const result = await tx.raw<{
        rows: Array<{ sync: string; jit: string }>;
      }>(
        `SELECT current_setting('synchronous_commit') AS sync, current_setting('jit') AS jit`,
      );
      return result.rows[0];
    };

    const inside = await runTransaction(knex, settings, { derived: true });
    const plain = await runTransaction(knex, settings);

    expect(inside).toEqual({ sync: 'off', jit: 'off' });
    expect(plain).toEqual(expect.objectContaining({ sync: 'on' }));
  });
});
