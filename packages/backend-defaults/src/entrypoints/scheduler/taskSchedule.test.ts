import { InputError } from '@plinth/errors';
import { parseDuration } from '../../config';
import {
  computeNextRun,
  formatDuration,
  parseTaskDefinition,
  parseTaskSchedule,
} from './taskSchedule';

const fn = async () => {};
const valid = { id: 'refresh', fn, frequency: { minutes: 5 }, timeout: 'PT1M' };

function messageFor(task: unknown): string {
  try {
    parseTaskDefinition(task, 'catalog');
  } catch (error) {
    expect(error).toMatchObject({ name: 'InputError' });
    return (error as Error).message;
  }
  throw new Error('expected parseTaskDefinition to throw');
}

describe('parseTaskDefinition', () => {
  it('turns durations into canonical settings', () => {
    expect(
      parseTaskDefinition(
        { ...valid, initialDelay: { seconds: 90 }, scope: 'local' },
        'catalog',
      ),
    ).toEqual({
      id: 'refresh',
      fn,
      signal: undefined,
      scope: 'local',
      timeoutMs: 60_000,
      initialDelayMs: 90_000,
      settings: {
        version: 1,
        cadence: 'PT5M',
        timeoutAfterDuration: 'PT1M',
        initialDelayDuration: 'PT1M30S',
      },
    });
  });

  it('defaults to global scope and no initial delay', () => {
    expect(parseTaskDefinition(valid, 'catalog')).toMatchObject({
      scope: 'global',
      initialDelayMs: 0,
      settings: { version: 1, cadence: 'PT5M', timeoutAfterDuration: 'PT1M' },
    });
  });

  it('keeps a cron expression with its whitespace normalised', () => {
    expect(
      parseTaskDefinition(
        { ...valid, frequency: { cron: ' */5  * * * * ' } },
        'catalog',
      ).settings.cadence,
    ).toBe('*/5 * * * *');
  });

  it('accepts cron aliases and six-field expressions', () => {
    for (const cron of ['@daily', '*/10 * * * * *']) {
      expect(
        parseTaskDefinition({ ...valid, frequency: { cron } }, 'catalog')
          .settings.cadence,
      ).toBe(cron);
    }
  });

  it('stores a manual trigger as the cadence manual', () => {
    expect(
      parseTaskDefinition(
        { ...valid, frequency: { trigger: 'manual' } },
        'catalog',
      ).settings.cadence,
    ).toBe('manual');
  });

  it('rejects a task that is not an object', () => {
    expect(messageFor('refresh')).toBe(
      "Cannot schedule a task of plugin 'catalog': the task is the string 'refresh', not an object. Pass { id, fn, frequency, timeout }.",
    );
  });

  it('rejects a missing id', () => {
    expect(messageFor({ ...valid, id: undefined })).toBe(
      "Cannot schedule a task of plugin 'catalog': id is undefined; use a string such as 'refresh-entities'.",
    );
  });

  it('rejects an id with characters outside the allowed set', () => {
    expect(messageFor({ ...valid, id: 'refresh all' })).toBe(
      "Cannot schedule a task of plugin 'catalog': id 'refresh all' is not valid; use 1-255 letters, digits, '-', '_', '.', ':' or '/', starting with a letter or digit.",
    );
  });

  it('rejects an fn that is not a function', () => {
    expect(messageFor({ ...valid, fn: 'run' })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': fn is the string 'run', not a function; pass the function to run.",
    );
  });

  it('rejects a signal that is not an AbortSignal', () => {
    expect(messageFor({ ...valid, signal: {} })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': signal is an object, not an AbortSignal; pass an AbortController's signal or leave it out.",
    );
  });

  it('rejects a missing frequency', () => {
    expect(messageFor({ ...valid, frequency: undefined })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': frequency is missing; use { cron: '*/5 * * * *' }, a duration such as { minutes: 5 } or 'PT5M', or { trigger: 'manual' }.",
    );
  });

  it('rejects an invalid cron expression with the parser reason', () => {
    expect(messageFor({ ...valid, frequency: { cron: '61 * * * *' } })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': frequency { cron: '61 * * * *' } is not a valid cron expression (Constraint error, got value 61 expected range 0-59); use five or six fields, such as { cron: '*/5 * * * *' }.",
    );
  });

  it('rejects a cron expression with too few fields', () => {
    expect(messageFor({ ...valid, frequency: { cron: '* *' } })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': frequency { cron: '* *' } is not a valid cron expression (it has 2 fields); use five or six fields, such as { cron: '*/5 * * * *' }.",
    );
  });

  it('rejects a cron that is not a string', () => {
    expect(messageFor({ ...valid, frequency: { cron: 5 } })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': frequency { cron: number 5 } is not a cron expression; use five or six fields, such as { cron: '*/5 * * * *' }.",
    );
  });

  it('rejects a trigger other than manual', () => {
    expect(messageFor({ ...valid, frequency: { trigger: 'auto' } })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': frequency { trigger: 'auto' } is not valid; the only trigger is 'manual'.",
    );
  });

  it('points a cron expression given as a duration to the cron form', () => {
    expect(messageFor({ ...valid, frequency: '*/5 * * * *' })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': frequency '*/5 * * * *' is not a duration; for a cron expression use { cron: '*/5 * * * *' }.",
    );
  });

  it('rejects a frequency that is not a duration', () => {
    expect(messageFor({ ...valid, frequency: { minute: 5 } })).toBe(
      `Cannot schedule task 'refresh' of plugin 'catalog': frequency {"minute":5} is not a duration; use a HumanDuration such as { minutes: 5 } or an ISO 8601 string such as 'PT5M'.`,
    );
  });

  it('rejects a number of milliseconds, whose unit code cannot show', () => {
    expect(messageFor({ ...valid, timeout: 5000 })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': timeout number 5000 is not a duration; use a HumanDuration such as { minutes: 5 } or an ISO 8601 string such as 'PT5M'.",
    );
  });

  it('rejects a zero frequency', () => {
    expect(messageFor({ ...valid, frequency: 'PT0S' })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': frequency 'PT0S' is zero; use a duration longer than zero.",
    );
  });

  it('rejects a missing timeout', () => {
    expect(messageFor({ ...valid, timeout: undefined })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': timeout is missing; use a HumanDuration such as { minutes: 5 } or an ISO 8601 string such as 'PT5M'.",
    );
  });

  it('accepts a zero initial delay but rejects an invalid one', () => {
    expect(
      parseTaskDefinition({ ...valid, initialDelay: 'PT0S' }, 'catalog')
        .initialDelayMs,
    ).toBe(0);
    expect(messageFor({ ...valid, initialDelay: 'soon' })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': initialDelay 'soon' is not a duration; use a HumanDuration such as { minutes: 5 } or an ISO 8601 string such as 'PT5M'.",
    );
  });

  it('rejects an unknown scope', () => {
    expect(messageFor({ ...valid, scope: 'cluster' })).toBe(
      "Cannot schedule task 'refresh' of plugin 'catalog': scope 'cluster' is not valid; use 'global' or 'local'.",
    );
  });

  it('reports every problem in one error, one line each', () => {
    expect(
      messageFor({ id: 'refresh', fn, frequency: 'often', timeout: { s: 1 } }),
    ).toBe(
      [
        "Cannot schedule task 'refresh' of plugin 'catalog':",
        "  frequency 'often' is not a duration; use a HumanDuration such as { minutes: 5 } or an ISO 8601 string such as 'PT5M'.",
        `  timeout {"s":1} is not a duration; use a HumanDuration such as { minutes: 5 } or an ISO 8601 string such as 'PT5M'.`,
      ].join('\n'),
    );
  });
});

describe('parseTaskSchedule', () => {
  it('validates a schedule without a task', () => {
    expect(
      parseTaskSchedule(
        { frequency: { cron: '@hourly' }, timeout: 'PT1M' },
        'catalog',
      ),
    ).toEqual({
      scope: 'global',
      timeoutMs: 60_000,
      initialDelayMs: 0,
      settings: {
        version: 1,
        cadence: '@hourly',
        timeoutAfterDuration: 'PT1M',
      },
    });
  });

  it('rejects a schedule that is not an object', () => {
    expect(() => parseTaskSchedule(undefined, 'catalog')).toThrow(
      new InputError(
        "Cannot create a task runner for plugin 'catalog': the schedule is undefined, not an object. Pass { frequency, timeout }.",
      ),
    );
  });

  it('names the plugin in errors about the schedule', () => {
    expect(() =>
      parseTaskSchedule({ frequency: 'PT1M', timeout: 'never' }, 'catalog'),
    ).toThrow(
      new InputError(
        "Cannot create a task runner for plugin 'catalog': timeout 'never' is not a duration; use a HumanDuration such as { minutes: 5 } or an ISO 8601 string such as 'PT5M'.",
      ),
    );
  });
});

describe('computeNextRun', () => {
  const lastStartedAt = new Date('2024-01-01T00:00:00.000Z');
  const now = new Date('2024-01-01T00:00:02.500Z');

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

describe('formatDuration', () => {
  it.each([
    [0, 'PT0S'],
    [250, 'PT0.25S'],
    [30_000, 'PT30S'],
    [90_000, 'PT1M30S'],
    [3_600_000, 'PT1H'],
    [86_400_000, 'P1D'],
    [86_400_000 + 2 * 3_600_000 + 500, 'P1DT2H0.5S'],
  ])('writes %d ms as %s', (ms, iso) => {
    expect(formatDuration(ms)).toBe(iso);
  });

  it('writes strings that parseDuration reads back to the same length', () => {
    for (const ms of [1, 999, 61_001, 7 * 86_400_000 + 1234]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
