import { mockServices } from '@plinth/backend-test-utils';
import { readLogLevel } from './logLevels';

const config = (level?: string) =>
  mockServices.rootConfig({
    data: level === undefined ? {} : { backend: { logging: { level } } },
  });

describe('readLogLevel', () => {
  it('defaults to info', () => {
    expect(readLogLevel(config(), {})).toBe('info');
  });

  it('reads backend.logging.level', () => {
    expect(readLogLevel(config('warn'), {})).toBe('warn');
  });

  it('prefers LOG_LEVEL over the config', () => {
    expect(readLogLevel(config('warn'), { LOG_LEVEL: 'debug' })).toBe('debug');
  });

  it('ignores an empty LOG_LEVEL', () => {
    expect(readLogLevel(config('error'), { LOG_LEVEL: ' ' })).toBe('error');
  });

  it('accepts levels in any case', () => {
    expect(readLogLevel(config('WARN'), { LOG_LEVEL: 'Debug' })).toBe('debug');
    expect(readLogLevel(config('WARN'), {})).toBe('warn');
  });

  it('rejects an unknown LOG_LEVEL and lists the valid levels', () => {
    expect(() => readLogLevel(config(), { LOG_LEVEL: 'verbose' })).toThrow(
      "Invalid log level 'verbose' in the LOG_LEVEL environment variable: use one of 'error', 'warn', 'info', 'debug', or unset it.",
    );
  });

  it('rejects an unknown backend.logging.level and lists the valid levels', () => {
    expect(() => readLogLevel(config('trace'), {})).toThrow(
      "Invalid log level 'trace' at config 'backend.logging.level': use one of 'error', 'warn', 'info', 'debug'.",
    );
    expect(() => readLogLevel(config('trace'), {})).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        code: 'CONFIG_LOG_LEVEL_INVALID',
        key: 'backend.logging.level',
      }),
    );
  });
});
