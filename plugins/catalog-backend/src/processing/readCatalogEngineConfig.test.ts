import type { JsonObject } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { readCatalogEngineConfig } from './readCatalogEngineConfig';

function read(catalog: JsonObject) {
  return readCatalogEngineConfig(
    mockServices.rootConfig({ data: { catalog } }),
  );
}

describe('readCatalogEngineConfig', () => {
  it('gives the defaults when nothing is configured', () => {
    expect(read({})).toEqual({
      processingIntervalMs: 100_000,
      orphanStrategy: 'delete',
      fullMutationGuard: { maxDeletionShare: 0.5, minEntities: 10 },
    });
  });

  it('reads every setting', () => {
    expect(
      read({
        processingInterval: { minutes: 2, seconds: 30 },
        orphanStrategy: 'keep',
        fullMutationGuard: { maxDeletionShare: 0.25, minEntities: 0 },
      }),
    ).toEqual({
      processingIntervalMs: 150_000,
      orphanStrategy: 'keep',
      fullMutationGuard: { maxDeletionShare: 0.25, minEntities: 0 },
    });
  });

  it('rejects an interval that is not a duration object', () => {
    expect(() => read({ processingInterval: '100s' })).toThrow(
      'Invalid config at \'catalog.processingInterval\': expected a duration longer than zero such as { seconds: 100 }, got "100s".',
    );
  });

  it('rejects an interval of zero', () => {
    expect(() => read({ processingInterval: { seconds: 0 } })).toThrow(
      'Invalid config at \'catalog.processingInterval\': expected a duration longer than zero such as { seconds: 100 }, got {"seconds":0}.',
    );
  });

  it('rejects an unknown unit of the interval, listing the units', () => {
    expect(() => read({ processingInterval: { secs: 5 } })).toThrow(
      "Invalid config at 'catalog.processingInterval.secs': expected one of the units 'years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'milliseconds', got \"secs\".",
    );
  });

  it('rejects a negative amount of the interval', () => {
    expect(() => read({ processingInterval: { seconds: -1 } })).toThrow(
      "Invalid config at 'catalog.processingInterval.seconds': expected a number of 0 or more, got -1.",
    );
  });

  it('rejects an unknown orphan strategy, listing the valid ones', () => {
    expect(() => read({ orphanStrategy: 'purge' })).toThrow(
      "Invalid config at 'catalog.orphanStrategy': expected one of 'delete', 'keep', got \"purge\".",
    );
  });

  it('rejects a deletion share outside 0 to 1', () => {
    expect(() =>
      read({ fullMutationGuard: { maxDeletionShare: 1.5 } }),
    ).toThrow(
      "Invalid config at 'catalog.fullMutationGuard.maxDeletionShare': expected a number from 0 to 1, such as 0.5, got 1.5.",
    );
  });

  it('rejects a minimum that is not a whole number', () => {
    expect(() => read({ fullMutationGuard: { minEntities: 2.5 } })).toThrow(
      "Invalid config at 'catalog.fullMutationGuard.minEntities': expected a whole number of 0 or more, such as 10, got 2.5.",
    );
  });
});
