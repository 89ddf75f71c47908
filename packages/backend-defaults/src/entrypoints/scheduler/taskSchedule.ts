import type { SchedulerServiceTaskFunction } from '@plinth/backend-plugin-api';
import { describeValue, InputError } from '@plinth/errors';
import { CronExpressionParser } from 'cron-parser';
import { parseDuration } from '../../config';

// What a task's schedule means: the definition `scheduleTask` receives,
// checked and turned into canonical settings, and the times of the runs
// those settings give.

/**
 * A task's schedule as stored in its database row and reported by
 * `getScheduledTasks()`, in the shape Backstage uses: durations are
 * canonical ISO 8601 strings, so two replicas with the same schedule write
 * the same JSON.
 */
export type TaskSettings = {
  version: 1;
  /** A cron expression, an ISO 8601 duration (starts with `P`), or `manual`. */
  cadence: string;
  timeoutAfterDuration: string;
  initialDelayDuration?: string;
};

/** A task definition after validation. */
export interface ParsedTaskDefinition {
  id: string;
  fn: SchedulerServiceTaskFunction;
  signal?: AbortSignal;
  scope: 'global' | 'local';
  settings: TaskSettings;
  timeoutMs: number;
  initialDelayMs: number;
}

/** A schedule after validation, before a task is given to it. */
export type ParsedTaskSchedule = Pick<
  ParsedTaskDefinition,
  'scope' | 'settings' | 'timeoutMs' | 'initialDelayMs'
>;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,254}$/;
const DURATION_HINT =
  "use a HumanDuration such as { minutes: 5 } or an ISO 8601 string such as 'PT5M'";
const CRON_HINT = "use five or six fields, such as { cron: '*/5 * * * *' }";

/**
 * Validates what `scheduleTask` received and turns its durations into
 * canonical settings. Every problem is reported in one error.
 *
 * @throws {@link @plinth/errors#InputError} naming the task, the plugin and
 *   each bad value.
 */
export function parseTaskDefinition(
  task: unknown,
  pluginId: string,
): ParsedTaskDefinition {
  if (typeof task !== 'object' || task === null) {
    throw new InputError(
      `Cannot schedule a task of plugin '${pluginId}': the task is ${describeValue(task)}, not an object. Pass { id, fn, frequency, timeout }.`,
    );
  }
  const { id, fn, signal } = task as Record<string, unknown>;
  const problems: string[] = [];
  const validId = typeof id === 'string' && ID_PATTERN.test(id);
  if (typeof id !== 'string') {
    problems.push(
      `id is ${describeValue(id)}; use a string such as 'refresh-entities'`,
    );
  } else if (!validId) {
    problems.push(
      `id '${id}' is not valid; use 1-255 letters, digits, '-', '_', '.', ':' or '/', starting with a letter or digit`,
    );
  }
  if (typeof fn !== 'function') {
    problems.push(
      `fn is ${describeValue(fn)}, not a function; pass the function to run`,
    );
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    problems.push(
      `signal is ${describeValue(signal)}, not an AbortSignal; pass an AbortController's signal or leave it out`,
    );
  }
  const schedule = checkSchedule(task as Record<string, unknown>, problems);
  const subject = validId
    ? `task '${id}' of plugin '${pluginId}'`
    : `a task of plugin '${pluginId}'`;
  throwProblems(`Cannot schedule ${subject}`, problems);
  return {
    id: id as string,
    fn: fn as SchedulerServiceTaskFunction,
    signal: signal as AbortSignal | undefined,
    ...schedule!,
  };
}

/**
 * Validates a schedule on its own, as `createScheduledTaskRunner` receives
 * it, so a bad schedule fails where the runner is created.
 *
 * @throws {@link @plinth/errors#InputError} naming the plugin and each bad
 *   value.
 */
export function parseTaskSchedule(
  schedule: unknown,
  pluginId: string,
): ParsedTaskSchedule {
  const header = `Cannot create a task runner for plugin '${pluginId}'`;
  if (typeof schedule !== 'object' || schedule === null) {
    throw new InputError(
      `${header}: the schedule is ${describeValue(schedule)}, not an object. Pass { frequency, timeout }.`,
    );
  }
  const problems: string[] = [];
  const parsed = checkSchedule(schedule as Record<string, unknown>, problems);
  throwProblems(header, problems);
  return parsed!;
}

function checkSchedule(
  schedule: Record<string, unknown>,
  problems: string[],
): ParsedTaskSchedule | undefined {
  const { frequency, timeout, initialDelay, scope = 'global' } = schedule;
  const cadence = checkFrequency(frequency, problems);
  const timeoutMs = checkDuration('timeout', timeout, problems, false);
  const initialDelayMs =
    initialDelay === undefined
      ? 0
      : checkDuration('initialDelay', initialDelay, problems, true);
  if (scope !== 'global' && scope !== 'local') {
    problems.push(
      `scope ${describeInput(scope)} is not valid; use 'global' or 'local'`,
    );
  }
  if (
    problems.length > 0 ||
    cadence === undefined ||
    timeoutMs === undefined ||
    initialDelayMs === undefined
  ) {
    return undefined;
  }
  return {
    scope: scope as 'global' | 'local',
    timeoutMs,
    initialDelayMs,
    settings: {
      version: 1,
      cadence,
      timeoutAfterDuration: formatDuration(timeoutMs),
      ...(initialDelayMs > 0
        ? { initialDelayDuration: formatDuration(initialDelayMs) }
        : {}),
    },
  };
}

function checkFrequency(
  frequency: unknown,
  problems: string[],
): string | undefined {
  if (frequency === undefined) {
    problems.push(
      "frequency is missing; use { cron: '*/5 * * * *' }, a duration such as { minutes: 5 } or 'PT5M', or { trigger: 'manual' }",
    );
    return undefined;
  }
  if (typeof frequency === 'object' && frequency !== null) {
    if ('cron' in frequency) {
      return checkCron(frequency.cron, problems);
    }
    if ('trigger' in frequency) {
      const trigger = frequency.trigger;
      if (trigger === 'manual') {
        return 'manual';
      }
      problems.push(
        `frequency { trigger: ${describeInput(trigger)} } is not valid; the only trigger is 'manual'`,
      );
      return undefined;
    }
  }
  if (typeof frequency === 'string' && /\s/.test(frequency.trim())) {
    problems.push(
      `frequency ${describeInput(frequency)} is not a duration; for a cron expression use { cron: '${frequency}' }`,
    );
    return undefined;
  }
  const ms = checkDuration('frequency', frequency, problems, false);
  return ms === undefined ? undefined : formatDuration(ms);
}

function checkCron(cron: unknown, problems: string[]): string | undefined {
  if (typeof cron !== 'string') {
    problems.push(
      `frequency { cron: ${describeInput(cron)} } is not a cron expression; ${CRON_HINT}`,
    );
    return undefined;
  }
  const expression = cron.trim().replace(/\s+/g, ' ');
  const fields = expression.split(' ').length;
  // cron-parser fills in missing fields, so '* *' would silently mean
  // every minute; only full expressions and aliases such as '@daily' pass.
  const reason =
    expression.startsWith('@') || fields === 5 || fields === 6
      ? findCronError(expression)
      : `it has ${expression === '' ? 0 : fields} fields`;
  if (reason !== undefined) {
    problems.push(
      `frequency { cron: '${cron}' } is not a valid cron expression (${reason}); ${CRON_HINT}`,
    );
    return undefined;
  }
  return expression;
}

function findCronError(expression: string): string | undefined {
  try {
    CronExpressionParser.parse(expression);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function checkDuration(
  name: string,
  value: unknown,
  problems: string[],
  allowZero: boolean,
): number | undefined {
  if (value === undefined) {
    problems.push(`${name} is missing; ${DURATION_HINT}`);
    return undefined;
  }
  // Bare milliseconds are for config files only; in code a bare number
  // hides its unit.
  const ms = parseDuration(value);
  if (ms === undefined) {
    problems.push(
      `${name} ${describeInput(value)} is not a duration; ${DURATION_HINT}`,
    );
    return undefined;
  }
  if (ms === 0 && !allowZero) {
    problems.push(
      `${name} ${describeInput(value)} is zero; use a duration longer than zero`,
    );
    return undefined;
  }
  return ms;
}

function describeInput(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    try {
      return JSON.stringify(value);
    } catch {
      return 'an object';
    }
  }
  return describeValue(value);
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

function throwProblems(header: string, problems: string[]): void {
  if (problems.length === 1) {
    throw new InputError(`${header}: ${problems[0]}.`);
  }
  if (problems.length > 1) {
    throw new InputError(
      `${header}:\n${problems.map(p => `  ${p}.`).join('\n')}`,
    );
  }
}

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

/**
 * Whether a stored cadence is a cron expression rather than an ISO 8601
 * duration or `manual`; durations start with `P` and cron expressions
 * never do.
 */
export function isCronCadence(cadence: string): boolean {
  return cadence !== 'manual' && !cadence.startsWith('P');
}

const UNITS: Array<[suffix: string, ms: number]> = [
  ['H', 3600_000],
  ['M', 60_000],
];

/**
 * Writes milliseconds as a canonical ISO 8601 duration with days, hours,
 * minutes and seconds only (`P1DT2H`, `PT0.25S`), so equal durations
 * always compare equal as strings and PostgreSQL can cast them to an
 * `interval`.
 */
export function formatDuration(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  let time = '';
  for (const [suffix, unitMs] of UNITS) {
    const amount = Math.floor(rest / unitMs);
    rest -= amount * unitMs;
    if (amount > 0) {
      time += `${amount}${suffix}`;
    }
  }
  if (rest > 0) {
    // Rounded to whole microseconds, which is PostgreSQL's precision, so
    // floating-point noise never reaches the string.
    time += `${Number((rest / 1000).toFixed(6))}S`;
  }
  const date = days > 0 ? `${days}D` : '';
  if (!date && !time) {
    return 'PT0S';
  }
  return `P${date}${time ? `T${time}` : ''}`;
}
