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
      fullMutationGuard: { maxDeletionShare: 0.5, confirmedRemovals: [] },
    });
  });

  it('reads every setting', () => {
    expect(
      read({
        processingInterval: { minutes: 2, seconds: 30 },
        orphanStrategy: 'keep',
        fullMutationGuard: {
          maxDeletionShare: 0.25,
          confirmedRemovals: ['c0ffee123456'],
        },
      }),
    ).toEqual({
      processingIntervalMs: 150_000,
      orphanStrategy: 'keep',
      fullMutationGuard: {
        maxDeletionShare: 0.25,
        confirmedRemovals: ['c0ffee123456'],
      },
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

  it('rejects confirmed removals that are not a list', () => {
    expect(() =>
      read({ fullMutationGuard: { confirmedRemovals: 'c0ffee123456' } }),
    ).toThrow(
      "Invalid config at 'catalog.fullMutationGuard.confirmedRemovals': expected a list of confirmation ids such as ['c0ffee123456'], got \"c0ffee123456\".",
    );
  });

  it('rejects a confirmed removal that is not a confirmation id, naming its index', () => {
    expect(() =>
      read({
        fullMutationGuard: { confirmedRemovals: ['c0ffee123456', 'C0FFEE'] },
      }),
    ).toThrow(
      "Invalid config at 'catalog.fullMutationGuard.confirmedRemovals[1]': expected 12 lowercase hex digits, as the warning of a held-back full mutation prints its confirmation id, such as 'c0ffee123456', got \"C0FFEE\".",
    );
  });
});
