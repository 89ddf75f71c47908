import { isDatabaseUnavailable } from './isDatabaseUnavailable';

describe('isDatabaseUnavailable', () => {
  it('recognises a terminated session, a refused connection and a pool timeout, also as causes', () => {
    const terminated = Object.assign(new Error('terminating connection'), {
      code: '57P01',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
    });
    const timeout = new Error('Knex: Timeout acquiring a connection');
    timeout.name = 'KnexTimeoutError';
    for (const error of [
      terminated,
      refused,
      timeout,
      new Error('Connection terminated unexpectedly'),
      new Error('Could not list entities', { cause: terminated }),
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(true);
    }
  });

  it('rejects statements the database refused and errors that only look alike', () => {
    const rejected = Object.assign(new Error('relation does not exist'), {
      code: '42P01',
    });
    // A socket code without a syscall is some other library's code.
    const lookalike = Object.assign(new Error('reset'), {
      code: 'ECONNRESET',
    });
    const loop: Error & { cause?: unknown } = new Error('loop');
    loop.cause = loop;
    for (const error of [rejected, lookalike, loop, 'text', undefined]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });
});
