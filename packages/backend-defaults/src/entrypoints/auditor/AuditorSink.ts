import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type AuditorServiceEventSeverityLevel,
  type Config,
  type JsonObject,
  type LoggerService,
  type ServiceFactory,
  type ServiceRef,
} from '@plinth/backend-plugin-api';
import { quoteList } from '@plinth/errors';
import { ConfigReader } from '../../config';
import { InvalidConfigError } from '../../errors';

/**
 * Who acted, as far as the request tells.
 *
 * @public
 */
export type AuditorEventActorDetails = {
  /** The user's entity ref, or the service's subject such as `plugin:todo`. */
  actorId?: string;
  ip?: string;
  hostname?: string;
  userAgent?: string;
};

/**
 * The request an audit event is about.
 *
 * @public
 */
export type AuditorEventRequest = {
  /** The original URL, with its query. */
  url: string;
  method: string;
};

/**
 * An error as audit events carry it: name, message, `code` and causes,
 * without stack traces or any other field, which may hold secrets such as
 * request headers.
 *
 * @public
 */
export type AuditorEventError = {
  name: string;
  message: string;
  code?: string;
  cause?: AuditorEventError;
};

/**
 * One audit event as sinks receive it; field names are Backstage's, so
 * log queries written for Backstage find them.
 *
 * @public
 */
export type AuditorEvent = {
  plugin: string;
  eventId: string;
  severityLevel: AuditorServiceEventSeverityLevel;
  actor: AuditorEventActorDetails;
  meta?: JsonObject;
  request?: AuditorEventRequest;
} & (
  | { status: 'initiated' }
  | { status: 'succeeded' }
  | { status: 'failed'; error: AuditorEventError }
);

/**
 * Where audit events go. A sink that throws fails the audited operation's
 * `createEvent()`, `success()` or `fail()` call, so a sink that must never
 * block operations catches its own errors.
 *
 * @public
 */
export interface AuditorSink {
  write(event: AuditorEvent): void | Promise<void>;
  /**
   * Whether the sink writes events of this severity. When every sink
   * says no, the auditor builds no event at all, which saves reads that
   * audit nothing most of their cost; a sink without it receives every
   * event.
   */
  accepts?(severityLevel: AuditorServiceEventSeverityLevel): boolean;
}

/**
 * The sinks every plugin's auditor writes to: a root multiton, so a
 * backend adds a sink with `backend.add()` of a factory for this ref.
 * Without any, events go to {@link loggerAuditorSinkFactory}'s sink, the
 * root logger; a backend that adds sinks of its own and still wants log
 * lines adds that factory too.
 *
 * @example
 * ```ts
 * backend.add(loggerAuditorSinkFactory);
 * backend.add(
 *   createServiceFactory({
 *     service: auditorSinkServiceRef,
 *     deps: {},
 *     factory: () => ({ write: event => auditStore.insert(event) }),
 *   }),
 * );
 * ```
 * @public
 */
export const auditorSinkServiceRef: ServiceRef<
  AuditorSink,
  'root',
  'multiton'
> = createServiceRef<AuditorSink>({
  id: 'core.auditor.sink',
  scope: 'root',
  multiton: true,
  defaultFactory: async (): Promise<ServiceFactory> => loggerAuditorSinkFactory,
});

/**
 * The log level each severity is written at.
 *
 * @public
 */
export type AuditorSeverityLogLevels = Record<
  AuditorServiceEventSeverityLevel,
  'debug' | 'info' | 'warn' | 'error'
>;

const defaultLogLevels: AuditorSeverityLogLevels = {
  low: 'debug',
  medium: 'info',
  high: 'info',
  critical: 'info',
};
const logLevelNames = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Reads `backend.auditor.severityLogLevelMappings`, defaulting each
 * severity to Backstage's level: `low` at debug, the others at info.
 *
 * @throws {@link InvalidConfigError} when a value is not a log level.
 * @public
 */
export function readAuditorSeverityLogLevels(
  config: Config,
): AuditorSeverityLogLevels {
  const levels = { ...defaultLogLevels };
  for (const severity of Object.keys(levels) as Array<
    keyof AuditorSeverityLogLevels
  >) {
    const key = `backend.auditor.severityLogLevelMappings.${severity}`;
    const value = config.getOptionalString(key);
    if (value === undefined) {
      continue;
    }
    if (!(logLevelNames as readonly string[]).includes(value)) {
      throw new InvalidConfigError(
        key,
        ConfigReader.findContext(config, key),
        `one of ${quoteList(logLevelNames, 'or')}`,
        value,
      );
    }
    levels[severity] = value as AuditorSeverityLogLevels[typeof severity];
  }
  return levels;
}

/**
 * Writes audit events as log lines: message `<plugin>.<eventId>`, the
 * event's fields, and `isAuditEvent: true` so collectors can route them;
 * the level follows the severity.
 *
 * @public
 */
export class LoggerAuditorSink implements AuditorSink {
  readonly #logger: LoggerService;
  readonly #levels: AuditorSeverityLogLevels;

  /**
   * @example
   * ```ts
   * const sink = LoggerAuditorSink.create({ logger: rootLogger, levels: readAuditorSeverityLogLevels(config) });
   * ```
   */
  static create(options: {
    logger: LoggerService;
    levels?: AuditorSeverityLogLevels;
  }): LoggerAuditorSink {
    return new LoggerAuditorSink(
      options.logger.child({ isAuditEvent: true }),
      options.levels ?? defaultLogLevels,
    );
  }

  private constructor(logger: LoggerService, levels: AuditorSeverityLogLevels) {
    this.#logger = logger;
    this.#levels = levels;
  }

  write(event: AuditorEvent): void {
    const level = this.#levels[event.severityLevel];
    this.#logger[level](`${event.plugin}.${event.eventId}`, toJson(event));
  }

  accepts(severityLevel: AuditorServiceEventSeverityLevel): boolean {
    return this.#logger.isLevelEnabled?.(this.#levels[severityLevel]) ?? true;
  }
}

/** The event as log fields, without the keys whose value is undefined. */
function toJson(event: AuditorEvent): JsonObject {
  return JSON.parse(JSON.stringify(event)) as JsonObject;
}

/**
 * The default audit sink: the root logger, with the levels of
 * `backend.auditor.severityLogLevelMappings`.
 *
 * @public
 */
export const loggerAuditorSinkFactory: ServiceFactory<
  AuditorSink,
  'root',
  'multiton'
> = createServiceFactory({
  service: auditorSinkServiceRef,
  deps: {
    rootLogger: coreServices.rootLogger,
    config: coreServices.rootConfig,
  },
  factory: ({ rootLogger, config }) =>
    LoggerAuditorSink.create({
      logger: rootLogger,
      levels: readAuditorSeverityLogLevels(config),
    }),
});
