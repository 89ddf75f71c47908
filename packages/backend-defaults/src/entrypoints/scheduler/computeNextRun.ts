import { InputError } from '@plinth/errors';
import { CronExpressionParser } from 'cron-parser';
import { isCronCadence } from './isCronCadence';
import { parseDuration } from '../rootConfig/parseDuration';

/**
 * When a task runs next, given when its last run started and the current
 * time (both on the same clock: the database's for global tasks). An
 * interval counts from the start of the last run; a cron expression gives
 * its first time after `now`, in the server's local time zone, as crontab
 * does.
 *
 * @returns the time, or `undefined` for a `manual` task.
 * @throws {@link @plinth/errors#InputError} when the cadence is none of
 *   these, which only a row written by hand or by another program can hold.
 */
export function computeNextRun(
  cadence: string,
  times: { lastStartedAt: Date; now: Date },
): Date | undefined {
  if (cadence === 'manual') {
    return undefined;
  }
  if (isCronCadence(cadence)) {
    return CronExpressionParser.parse(cadence, { currentDate: times.now })
      .next()
      .toDate();
  }
  const interval = parseDuration(cadence);
  if (interval === undefined || interval <= 0) {
    throw new InputError(
      `Cannot compute the next run of a task: its cadence '${cadence}' is not 'manual', a cron expression or an ISO 8601 duration longer than zero. Schedule the task again to rewrite its settings.`,
    );
  }
  return new Date(times.lastStartedAt.getTime() + interval);
}
