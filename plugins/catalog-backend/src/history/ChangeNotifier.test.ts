import { MockLoggerService } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { ChangeNotifier } from './ChangeNotifier';

describe('ChangeNotifier', () => {
  it('refuses new streams and long polls once the backend is shutting down', async () => {
    const notifier = new ChangeNotifier({
      knex: {} as Knex,
      logger: MockLoggerService.create(),
      pollMs: 1000,
    });
    expect(() => notifier.assertRunning()).not.toThrow();
    notifier.stop();
    expect(() => notifier.assertRunning()).toThrow(
      'This catalog replica is shutting down and opens no new change stream or long poll. Reconnect in a moment (another replica answers), with Last-Event-ID or after= to go on where you were.',
    );
    await expect(notifier.waitForChange(undefined, 60_000)).resolves.toBe(
      false,
    );
  });
});
