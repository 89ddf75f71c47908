import { mockServices } from '@plinth/backend-test-utils';
import { readEventsConfig } from './readEventsConfig';

describe('readEventsConfig', () => {
  it('leaves every option to its default when events is not configured', () => {
    expect(readEventsConfig(mockServices.rootConfig())).toEqual({
      retention: {},
    });
  });

  it('reads the poll interval and the retention window', () => {
    const config = mockServices.rootConfig({
      data: {
        events: {
          pollInterval: { milliseconds: 250 },
          retention: { maxAge: 'PT2H', minAge: { minutes: 1 }, maxCount: 50 },
        },
      },
    });

    expect(readEventsConfig(config)).toEqual({
      pollIntervalMs: 250,
      retention: { maxAgeMs: 7_200_000, minAgeMs: 60_000, maxCount: 50 },
    });
  });

  it('refuses a retention count that is not a whole number above 0', () => {
    const config = mockServices.rootConfig({
      data: { events: { retention: { maxCount: 0 } } },
    });

    expect(() => readEventsConfig(config)).toThrow(
      "Invalid config at 'events.retention.maxCount' (mock-config): expected a whole number of events above 0, got 0.",
    );
  });

  it('refuses a poll interval of zero', () => {
    const config = mockServices.rootConfig({
      data: { events: { pollInterval: 0 } },
    });

    expect(() => readEventsConfig(config)).toThrow(
      "Invalid config at 'events.pollInterval' (mock-config): expected a duration longer than zero: milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S', got 0.",
    );
  });
});
