import { MockLoggerService } from '@plinth/backend-test-utils';
import { stopWithin } from './createCatalog';

describe('stopWithin', () => {
  it('waits for every part that stops in time and warns of none', async () => {
    const logger = MockLoggerService.create();
    await stopWithin(logger, 1000, {
      engine: Promise.resolve(),
      stitcher: new Promise(resolve => setTimeout(resolve, 10)),
    });
    expect(logger.messages('warn')).toEqual([]);
  });

  it('stops waiting for a part that hangs and names it in a warning', async () => {
    const logger = MockLoggerService.create();
    await stopWithin(logger, 20, {
      engine: Promise.resolve(),
      'change history publisher and pruner': new Promise(() => {}),
    });
    expect(logger.messages('warn')).toEqual([
      'The catalog stopped without waiting longer for its change history publisher and pruner: a round still ran after 20 ms. Its claims and leases run out, and another replica or the next start takes the work over.',
    ]);
  });

  it('passes on a part that fails to stop', async () => {
    const logger = MockLoggerService.create();
    await expect(
      stopWithin(logger, 1000, { engine: Promise.reject(new Error('boom')) }),
    ).rejects.toThrow('boom');
  });
});
