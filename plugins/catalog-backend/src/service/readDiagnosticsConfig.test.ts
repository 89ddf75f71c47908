import { mockServices } from '@plinth/backend-test-utils';
import type { JsonObject } from '@plinth/errors';
import { readDiagnosticsConfig } from './addDiagnosticsRoutes';

function read(diagnostics: JsonObject) {
  return () =>
    readDiagnosticsConfig(
      mockServices.rootConfig({ data: { catalog: { diagnostics } } }),
    );
}

describe('readDiagnosticsConfig', () => {
  it('defaults to stuck after 5 minutes and lists of 20, at most 100', () => {
    expect(readDiagnosticsConfig(mockServices.rootConfig())).toEqual({
      stuckAfterMs: 300_000,
      defaultLimit: 20,
      maxLimit: 100,
    });
  });

  it('reads the threshold as a duration and the limits as integers', () => {
    expect(
      read({
        stuckAfter: { minutes: 1, seconds: 30 },
        defaultLimit: 5,
        maxLimit: 10,
      })(),
    ).toEqual({ stuckAfterMs: 90_000, defaultLimit: 5, maxLimit: 10 });
  });

  it('lowers the default list size to a smaller maximum', () => {
    expect(read({ maxLimit: 10 })().defaultLimit).toBe(10);
  });

  it('refuses a default above the maximum', () => {
    expect(read({ defaultLimit: 50, maxLimit: 10 })).toThrow(
      "Invalid config at 'catalog.diagnostics.defaultLimit': 50 is above 'catalog.diagnostics.maxLimit' (10). Lower the default or raise the maximum.",
    );
  });

  it('refuses a limit that is not an integer from 1 to 1000', () => {
    expect(read({ maxLimit: 0 })).toThrow(
      "Invalid config at 'catalog.diagnostics.maxLimit': expected an integer from 1 to 1000, got 0.",
    );
    expect(read({ defaultLimit: '5' })).toThrow(
      `Invalid config at 'catalog.diagnostics.defaultLimit': expected an integer from 1 to 1000, got "5".`,
    );
  });

  it('refuses a threshold that is not a duration', () => {
    expect(read({ stuckAfter: 300 })).toThrow(
      "Invalid config at 'catalog.diagnostics.stuckAfter'",
    );
  });
});
