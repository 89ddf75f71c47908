import type {
  JsonObject,
  LogMeta,
  RootLoggerService,
} from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';
import winston from 'winston';
import { CoalescingStreamTransport } from './CoalescingStreamTransport';
import {
  invalidLogLevel,
  isLogLevel,
  type LogLevel,
  logLevels,
} from './logLevels';
import {
  isSerializedError,
  SecretRedactor,
  serializeError,
} from './SecretRedactor';

/**
 * Options for {@link WinstonLogger.create}.
 *
 * @public
 */
export interface WinstonLoggerOptions {
  /**
   * The least severe level that is logged.
   * @defaultValue `'info'`
   */
  level?: LogLevel;
  /**
   * `pretty`: one coloured, readable line per entry, for development.
   * `json`: one JSON object per line with `level`, `message`, `timestamp`
   * and the fields, for log collectors.
   * @defaultValue `'pretty'`
   */
  format?: 'pretty' | 'json';
  /**
   * Fields added to every line, such as `{ service: 'backend' }`.
   * @defaultValue `{}`
   */
  meta?: JsonObject;
  /**
   * Where lines go.
   * @defaultValue one {@link CoalescingStreamTransport}, writing to stdout
   *   the lines of each event-loop turn at its end
   */
  transports?: winston.transport[];
  /**
   * Whether the pretty format colours its lines; the JSON format never does.
   * @defaultValue `true` when stdout is a terminal and `NO_COLOR` is unset
   */
  colors?: boolean;
}

/** Field names the line itself uses; a field with one of them gets a `_` prefix. */
const reservedFields = new Set(['level', 'message', 'timestamp']);

interface Shared {
  winston: winston.Logger;
  redactor: SecretRedactor;
  level: LogLevel;
  format: 'pretty' | 'json';
}

/**
 * The default root logger: winston, pretty lines in development and JSON
 * lines in production, with every secret replaced by `***`.
 *
 * @remarks
 * An `Error` passed as meta is logged as the field `error` with its name,
 * message, `code` and chain of causes; its stack is included in the pretty
 * format, and in the JSON format when the level is `debug`. Secrets added
 * with {@link WinstonLogger.addRedactions} are masked in the message, in
 * every field value at any depth, and in error messages and stacks, for
 * this logger and every logger derived from it. Values shorter than 4
 * characters are not masked, since they also occur inside ordinary words
 * and would garble every line; a warning says how many were skipped. A
 * field named `level`, `message` or `timestamp` is logged as `_level`,
 * `_message` or `_timestamp`, so it cannot replace the line's own.
 *
 * @public
 */
export class WinstonLogger implements RootLoggerService {
  readonly #shared: Shared;
  readonly #fields: JsonObject;

  /**
   * Creates a root logger.
   *
   * @example
   * ```ts
   * const logger = WinstonLogger.create({ level: 'debug', format: 'json' });
   * logger.addRedactions(readConfigSecrets(config));
   * logger.child({ plugin: 'catalog' }).info('Refreshed', { count: 3 });
   * // {"level":"info","message":"Refreshed","timestamp":"...","plugin":"catalog","count":3}
   * ```
   * @throws {@link @plinth/backend-defaults#ConfigError} with code `CONFIG_LOG_LEVEL_INVALID` when
   *   `level` is not a known level.
   */
  static create(options: WinstonLoggerOptions = {}): WinstonLogger {
    const level = options.level ?? 'info';
    if (!isLogLevel(level)) {
      throw invalidLogLevel.fromOption(level);
    }
    const format = options.format ?? 'pretty';
    const colors =
      options.colors ??
      (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
    const logger = winston.createLogger({
      levels: logLevels,
      level,
      format:
        format === 'json'
          ? winston.format.json({ deterministic: false })
          : winston.format.printf(info =>
              formatPrettyLine(
                {
                  level: info.level as LogLevel,
                  message: String(info.message),
                  timestamp: String(info.timestamp),
                  fields: withoutLineKeys(info),
                },
                { colors },
              ),
            ),
      transports: options.transports ?? [new CoalescingStreamTransport()],
    });
    return new WinstonLogger(
      { winston: logger, redactor: new SecretRedactor(), level, format },
      options.meta ?? {},
    );
  }

  private constructor(shared: Shared, fields: JsonObject) {
    this.#shared = shared;
    this.#fields = fields;
  }

  /**
   * Masks these values in every line of this logger, of its parent and of
   * all loggers derived from either, from now on.
   */
  addRedactions(values: Iterable<string>): void {
    const { tooShort } = this.#shared.redactor.add(values);
    if (tooShort > 0) {
      this.warn(
        `Not redacting ${tooShort} secret value${tooShort === 1 ? '' : 's'} shorter than ${SecretRedactor.minSecretLength} characters from logs, because such short values also occur in ordinary words; use longer secrets.`,
      );
    }
  }

  error(message: string, meta?: LogMeta): void {
    this.#log('error', message, meta);
  }

  warn(message: string, meta?: LogMeta): void {
    this.#log('warn', message, meta);
  }

  info(message: string, meta?: LogMeta): void {
    this.#log('info', message, meta);
  }

  debug(message: string, meta?: LogMeta): void {
    this.#log('debug', message, meta);
  }

  isLevelEnabled(level: LogLevel): boolean {
    return this.#shared.winston.isLevelEnabled(level);
  }

  /** A logger that adds `fields` to every line and shares this one's redactions. */
  child(fields: JsonObject): WinstonLogger {
    return new WinstonLogger(this.#shared, { ...this.#fields, ...fields });
  }

  #log(level: LogLevel, message: string, meta: LogMeta | undefined) {
    const { winston: logger, redactor, format } = this.#shared;
    if (!logger.isLevelEnabled(level)) {
      return;
    }
    const options = {
      stack: format === 'pretty' || this.#shared.level === 'debug',
    };
    const entry: Record<string, unknown> = {
      level,
      message: redactor.redactString(String(message)),
      timestamp: new Date().toISOString(),
    };
    // Fields are written in place rather than merged first: this runs for
    // every request, and a field given again in meta keeps its position.
    for (const key of Object.keys(this.#fields)) {
      entry[toFieldName(key)] = redactor.redactValue(
        this.#fields[key],
        options,
      );
    }
    if (isError(meta)) {
      entry.error = redactor.redactValue(
        serializeError(meta, options),
        options,
      );
    } else if (meta) {
      for (const key of Object.keys(meta)) {
        entry[toFieldName(key)] = redactor.redactValue(meta[key], options);
      }
    }
    logger.log(entry as winston.LogEntry);
  }
}

/** A field's name in the line: a name the line itself uses gets a `_` prefix. */
function toFieldName(key: string): string {
  return reservedFields.has(key) ? `_${key}` : key;
}

/** The fields of a winston entry, without the keys of the line itself. */
function withoutLineKeys(
  info: Record<string, unknown>,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(info)) {
    if (!reservedFields.has(key)) {
      fields[key] = value;
    }
  }
  return fields;
}

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
