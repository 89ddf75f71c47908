import { mockServices } from '@plinth/backend-test-utils';
import { readQueryLimits } from './readQueryLimits';

function read(
  pagination: { defaultLimit?: number; maxLimit?: number },
  queryLimits: Record<string, number | Record<string, number>> = {},
) {
  return readQueryLimits(
    mockServices.rootConfig({ data: { catalog: { pagination, queryLimits } } }),
  );
}

describe('readQueryLimits', () => {
  it('defaults to pages of 1000, at most 10000, query pages of 20, and bounded queries', () => {
    expect(readQueryLimits(mockServices.rootConfig())).toEqual({
      defaultLimit: 1000,
      maxLimit: 10000,
      queryDefaultLimit: 20,
      maxFilterSets: 50,
      maxFilterConditions: 200,
      maxOrderFields: 5,
      maxFields: 50,
      maxFullTextFields: 10,
      maxFacets: 50,
      maxEntityRefs: 1000,
      maxCursorLength: 8192,
      maxDryRunEntities: 1000,
      maxValidateEntities: 500,
      statementTimeoutMs: 10_000,
    });
  });

  it('keeps the defaults within a lower maximum', () => {
    expect(read({ maxLimit: 10 })).toMatchObject({
      defaultLimit: 10,
      maxLimit: 10,
      queryDefaultLimit: 10,
    });
  });

  it('takes each cap from catalog.queryLimits and rejects one that is not a positive integer', () => {
    expect(read({}, { maxOrderFields: 2, maxEntityRefs: 20 })).toMatchObject({
      maxOrderFields: 2,
      maxEntityRefs: 20,
      maxFilterSets: 50,
    });
    expect(
      read({}, { statementTimeout: { seconds: 3 } }).statementTimeoutMs,
    ).toBe(3000);
    expect(() => read({}, { maxFilterSets: 0 })).toThrow(
      "Invalid config at 'catalog.queryLimits.maxFilterSets': expected an integer of at least 1, got 0.",
    );
  });

  it('rejects limits that are not positive integers, and a default above the maximum', () => {
    expect(() => read({ maxLimit: 0 })).toThrow(
      "Invalid config at 'catalog.pagination.maxLimit': expected an integer of at least 1, got 0.",
    );
    expect(() => read({ defaultLimit: 2.5 })).toThrow(
      "Invalid config at 'catalog.pagination.defaultLimit': expected an integer of at least 1, got 2.5.",
    );
    expect(() => read({ defaultLimit: 20, maxLimit: 10 })).toThrow(
      "Invalid config at 'catalog.pagination.defaultLimit': 20 is above 'catalog.pagination.maxLimit' (10). Lower the default or raise the maximum.",
    );
  });
});
