import type {
  JsonObject,
  LoggerService,
  LogMeta,
} from '@plinth/backend-plugin-api';

/**
 * The logger the engine falls back to when the backend has no root logger
 * service: warnings and errors to stderr, info to stdout, debug dropped.
 */
export function createConsoleLogger(fields: JsonObject = {}): LoggerService {
  const prefix = Object.entries(fields)
    .map(
      ([key, value]) =>
        `${key}=${typeof value === 'string' ? value : JSON.stringify(value)} `,
    )
    .join('');
  const write =
    (stream: NodeJS.WriteStream, level: string) =>
    (message: string, meta?: LogMeta) => {
      const detail =
        meta instanceof Error
          ? ` ${meta.name}: ${meta.message}`
          : meta && Object.keys(meta).length > 0
            ? ` ${JSON.stringify(meta)}`
            : '';
      stream.write(`${level} ${prefix}${message}${detail}\n`);
    };
  return {
    error: write(process.stderr, 'error'),
    warn: write(process.stderr, 'warn'),
    info: write(process.stdout, 'info'),
    debug: () => {},
    child: extra => createConsoleLogger({ ...fields, ...extra }),
  };
}
