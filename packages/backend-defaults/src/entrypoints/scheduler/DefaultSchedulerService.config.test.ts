import { mockServices } from '@plinth/backend-test-utils';
import { InvalidConfigError } from '../../errors';
import { readSchedulerConfig } from './DefaultSchedulerService';

function read(scheduler: Record<string, unknown>) {
  return readSchedulerConfig(
    mockServices.rootConfig({ data: { backend: { scheduler } } as never }),
  );
}

describe('readSchedulerConfig', () => {
  it('defaults to polling every 5 seconds, waiting 10 seconds at shutdown and a lease grace of 10 seconds', () => {
    expect(readSchedulerConfig(mockServices.rootConfig())).toEqual({
      pollIntervalMs: 5000,
      shutdownTimeoutMs: 10_000,
      leaseGraceMs: 10_000,
    });
  });

  it('reads milliseconds, HumanDuration objects and ISO 8601 strings', () => {
    expect(
      read({
        pollInterval: 250,
        shutdownTimeout: { seconds: 3 },
        leaseGrace: 'PT1M',
      }),
    ).toEqual({
      pollIntervalMs: 250,
      shutdownTimeoutMs: 3000,
      leaseGraceMs: 60_000,
    });
    expect(read({ pollInterval: 'PT2S' }).pollIntervalMs).toBe(2000);
  });

  it('rejects a value that is not a duration longer than zero', () => {
    expect(() => read({ pollInterval: 'often' })).toThrow(
      new InvalidConfigError(
        'backend.scheduler.pollInterval',
        'mock-config',
        "a duration longer than zero: milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S'",
        'often',
      ),
    );
    expect(() => read({ shutdownTimeout: 0 })).toThrow(
      "Invalid config at 'backend.scheduler.shutdownTimeout' (mock-config): expected a duration longer than zero: milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S', got 0.",
    );
    expect(() => read({ leaseGrace: 0 })).toThrow(
      "Invalid config at 'backend.scheduler.leaseGrace' (mock-config): expected a duration longer than zero: milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S', got 0.",
    );
  });
});
