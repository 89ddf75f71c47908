import type { LogLevel } from './logLevels';
import { isSerializedError } from './serializeError';

const ansi = {
  reset: '\u001b[0m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  green: '\u001b[32m',
  blue: '\u001b[34m',
  cyan: '\u001b[36m',
};

const levelColors: Record<LogLevel, string> = {
  error: ansi.red,
  warn: ansi.yellow,
  info: ansi.green,
  debug: ansi.blue,
};

/** The fields of a log line as the logger hands them to the format. */
export interface PrettyLogLine {
  level: LogLevel;
  message: string;
  timestamp: string;
  /** Every other field, with `plugin` and `error` given special places. */
  fields: Record<string, unknown>;
}

/**
 * One readable line for development:
 * `2024-05-01T10:00:00.000Z info  [catalog] Refreshed 3 entities count=3`,
 * followed, for an error, by its name, message, stack frames and causes.
 */
export function formatPrettyLine(
  line: PrettyLogLine,
  options: { colors: boolean },
): string {
  const paint = (color: string, text: string) =>
    options.colors ? `${color}${text}${ansi.reset}` : text;
  const { plugin, error, ...rest } = line.fields;
  const parts = [
    paint(ansi.dim, line.timestamp),
    paint(levelColors[line.level], line.level.padEnd(5)),
  ];
  if (typeof plugin === 'string') {
    parts.push(paint(ansi.cyan, `[${plugin}]`));
  } else if (plugin !== undefined) {
    rest.plugin = plugin;
  }
  parts.push(line.message);
  const errorDetail = isSerializedError(error) ? formatError(error) : [];
  if (error !== undefined && errorDetail.length === 0) {
    rest.error = error;
  }
  for (const [key, value] of Object.entries(rest)) {
    parts.push(`${paint(ansi.dim, `${key}=`)}${formatValue(value)}`);
  }
  return [parts.join(' '), ...errorDetail].join('\n');
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  }
  return JSON.stringify(value) ?? String(value);
}

/** The error's header and stack frames, then each cause's, indented. */
function formatError(error: unknown, depth = 0): string[] {
  if (!isSerializedError(error)) {
    return error === undefined ? [] : [`caused by ${formatValue(error)}`];
  }
  const header = `${depth === 0 ? '' : 'caused by '}${error.name}: ${error.message}`;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter(frame => /^\s+at /.test(frame));
  return [header, ...frames, ...formatError(error.cause, depth + 1)];
}
