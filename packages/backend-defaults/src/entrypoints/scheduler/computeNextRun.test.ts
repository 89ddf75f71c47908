import { InputError } from '@plinth/errors';
import { computeNextRun } from './computeNextRun';

const lastStartedAt = new Date('2024-01-01T00:00:00.000Z');
const now = new Date('2024-01-01T00:00:02.500Z');

describe('computeNextRun', () => {
  it('counts an interval from the start of the last run', () => {
    expect(computeNextRun('PT5S', { lastStartedAt, now })).toEqual(
      new Date('2024-01-01T00:00:05.000Z'),
    );
  });

  it('gives the first cron time after now', () => {
    expect(computeNextRun('* * * * * *', { lastStartedAt, now })).toEqual(
      new Date('2024-01-01T00:00:03.000Z'),
    );
  });

  it('gives a cron time strictly after now when now is on a cron time', () => {
    const onTime = new Date('2024-01-01T00:00:03.000Z');
    expect(
      computeNextRun('* * * * * *', { lastStartedAt, now: onTime }),
    ).toEqual(new Date('2024-01-01T00:00:04.000Z'));
  });

  it('gives no time for a manual task', () => {
    expect(computeNextRun('manual', { lastStartedAt, now })).toBeUndefined();
  });

  it('rejects a cadence that is no schedule', () => {
    expect(() => computeNextRun('PT0S', { lastStartedAt, now })).toThrow(
      new InputError(
        "Cannot compute the next run of a task: its cadence 'PT0S' is not 'manual', a cron expression or an ISO 8601 duration longer than zero. Schedule the task again to rewrite its settings.",
      ),
    );
  });
});
