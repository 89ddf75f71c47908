/**
 * A level of {@link @plinth/backend-plugin-api#LoggerService}, from most to
 * least severe.
 *
 * @public
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Every level with its winston priority: a lower number is more severe. */
export const logLevels: Readonly<Record<LogLevel, number>> = Object.freeze({
  error: 0,
  warn: 1,
  info: 2,
  debug: 3,
});

/** Whether `value` names a level, such as `'info'`. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(logLevels, value);
}
