import { mockServices } from '@plinth/backend-test-utils';
import type { JsonObject } from '@plinth/errors';
import { readHistoryConfig } from './readHistoryConfig';

const read = (history: JsonObject) =>
  readHistoryConfig(
    mockServices.rootConfig({ data: { catalog: { history } } }),
  );

describe('readHistoryConfig', () => {
  it('gives the documented defaults', () => {
    expect(readHistoryConfig(mockServices.rootConfig({ data: {} }))).toEqual({
      enabled: true,
      maxAgeMs: 30 * 86_400_000,
      maxEntries: 1_000_000,
      defaultPageSize: 100,
      maxPageSize: 1000,
      maxWaitMs: 30_000,
      maxStreams: 100,
      pollIntervalMs: 1000,
      heartbeatMs: 15_000,
    });
  });

  it('reads retention as a duration and a count', () => {
    expect(
      read({ retention: { maxAge: { days: 7 }, maxEntries: 500 } }),
    ).toMatchObject({ maxAgeMs: 7 * 86_400_000, maxEntries: 500 });
  });

  it.each([
    [
      { enabled: 'yes' },
      `Invalid config at 'catalog.history.enabled': expected true or false, got "yes".`,
    ],
    [
      { retention: { maxEntries: 0 } },
      `Invalid config at 'catalog.history.retention.maxEntries': expected an integer of at least 1, got 0.`,
    ],
    [
      { maxPageSize: 10, defaultPageSize: 20 },
      `Invalid config at 'catalog.history.defaultPageSize': expected at most 'catalog.history.maxPageSize' (10), got 20.`,
    ],
    [
      { retention: { maxAge: 30 } },
      `Invalid config at 'catalog.history.retention.maxAge': expected a duration longer than zero such as { seconds: 100 }, got 30.`,
    ],
  ] as Array<[JsonObject, string]>)('refuses %j', (history, message) => {
    expect(() => read(history)).toThrow(message);
  });
});
