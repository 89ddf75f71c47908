import type { Config } from '@plinth/backend-plugin-api';
import { ConfigReader } from './ConfigReader';
import { readDurationFromConfig } from './durationsAndSizes';

const key = 'backend.lifecycle.serverShutdownDelay';
const forms =
  "milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S'";

function layered(value: unknown): ConfigReader {
  return ConfigReader.fromConfigs([
    { context: 'app-config.yaml', data: {} },
    {
      context: 'app-config.local.yaml',
      data:
        value === undefined
          ? {}
          : { backend: { lifecycle: { serverShutdownDelay: value as never } } },
    },
  ]);
}

function read(value: unknown, options?: { allowZero?: boolean }) {
  return readDurationFromConfig(layered(value), key, options);
}

function described(value: unknown): string {
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'object' && value !== null
    ? 'an object'
    : JSON.stringify(value);
}

describe('readDurationFromConfig', () => {
  it('returns undefined when the key is not set', () => {
    expect(read(undefined)).toBeUndefined();
  });

  it('reads milliseconds as a number or a string of digits', () => {
    expect(read(1500)).toBe(1500);
    expect(read(0)).toBe(0);
    expect(read('250')).toBe(250);
    expect(read(' 30000 ')).toBe(30_000);
  });

  it.each([
    [{ seconds: 30 }, 30_000],
    [{ minutes: 1, seconds: 30, milliseconds: 5 }, 90_005],
    [{ hours: 1, days: 1 }, 25 * 3600_000],
    [{ weeks: 1 }, 7 * 86_400_000],
    [{ months: 1, years: 1 }, 395 * 86_400_000],
  ])('reads the duration object %j as %d ms', (value, ms) => {
    expect(read(value)).toBe(ms);
  });

  it('reads a duration object whose amounts are strings, as environment values are', () => {
    expect(read({ seconds: '5', milliseconds: '250' })).toBe(5250);
  });

  it.each([
    ['PT30S', 30_000],
    ['PT1H2M', 3_720_000],
    ['P1DT0.5S', 86_400_500],
    ['P2W', 14 * 86_400_000],
    ['p1w', 7 * 86_400_000],
  ])('reads the ISO 8601 duration %s as %d ms', (value, ms) => {
    expect(read(value)).toBe(ms);
  });

  it.each([
    ['30 seconds'],
    ['30s'],
    ['P'],
    ['PT'],
    ['P1DT'],
    ['PT-1S'],
    [-1],
    [true],
    [[1000]],
    [{}],
    [{ secs: 3 }],
    [{ seconds: -1 }],
  ])('rejects %j naming the key and the file', value => {
    expect(() => read(value)).toThrow(
      `Invalid config at '${key}' (app-config.local.yaml): expected a duration: ${forms}, got ${described(value)}.`,
    );
  });

  it('rejects a duration object with an amount that is not a number, naming that field', () => {
    expect(() => read({ seconds: 'ten' })).toThrow(
      `Invalid config at '${key}.seconds' (app-config.local.yaml): expected a number, got "ten".`,
    );
  });

  it('rejects zero when allowZero is false', () => {
    expect(read(1, { allowZero: false })).toBe(1);
    for (const zero of [0, '0', 'PT0S', { seconds: 0 }]) {
      expect(() => read(zero, { allowZero: false })).toThrow(
        `Invalid config at '${key}' (app-config.local.yaml): expected a duration longer than zero: ${forms}, got ${described(zero)}.`,
      );
    }
  });

  it("names 'app-config' for a Config that cannot tell the file", () => {
    const config = { getOptional: () => 'soon' } as unknown as Config;
    expect(() => readDurationFromConfig(config, 'a.timeout')).toThrow(
      `Invalid config at 'a.timeout' (app-config): expected a duration: ${forms}, got "soon".`,
    );
  });
});
