import type {
  JsonObject,
  LogMeta,
  RootLoggerService,
} from '@plinth/backend-plugin-api';

/**
 * A captured log line.
 *
 * @public
 */
export interface MockLogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  /** The fields of the logger and its parents, such as `{ plugin: 'todo' }`. */
  fields: JsonObject;
  meta?: LogMeta;
}

/**
 * A logger that keeps every line in memory for assertions; child loggers
 * share the parent's list.
 *
 * @public
 */
export class MockLoggerService implements RootLoggerService {
  readonly #lines: MockLogLine[];
  readonly #fields: JsonObject;

  /**
   * Creates a logger with an empty list of lines.
   *
   * @example
   * ```ts
   * const logger = MockLoggerService.create();
   * logger.child({ plugin: 'todo' }).info('ready');
   * logger.messages('info'); // ['ready']
   * ```
   */
  static create(): MockLoggerService {
    return new MockLoggerService([], {});
  }

  private constructor(lines: MockLogLine[], fields: JsonObject) {
    this.#lines = lines;
    this.#fields = fields;
  }

  /** Every line logged through this logger or any logger derived from it. */
  get lines(): readonly MockLogLine[] {
    return this.#lines;
  }

  /** The messages logged at one level, in order. */
  messages(level: MockLogLine['level']): string[] {
    return this.#lines.filter(l => l.level === level).map(l => l.message);
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

  child(fields: JsonObject): MockLoggerService {
    return new MockLoggerService(this.#lines, { ...this.#fields, ...fields });
  }

  #log(level: MockLogLine['level'], message: string, meta?: LogMeta) {
    this.#lines.push({ level, message, fields: this.#fields, meta });
  }
}
