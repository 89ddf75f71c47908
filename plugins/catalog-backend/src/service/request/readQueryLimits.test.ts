import { mockServices } from '@plinth/backend-test-utils';
import { readQueryLimits } from './readQueryLimits';

function read(
  pagination: {
    defaultLimit?: number;
    maxLimit?: number;
    maxUnpagedEntities?: number;
  },
  queryLimits: Record<string, number | Record<string, number>> = {},
) {
  return readQueryLimits(
    mockServices.rootConfig({ data: { catalog: { pagination, queryLimits } } }),
  );
}

describe('readQueryLimits', () => {
  it('defaults to unpaged listings without a cap, pages of at most 10000, query pages of 20, and bounded queries', () => {
    expect(readQueryLimits(mockServices.rootConfig())).toEqual({
      streamBatchSize: 500,
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
      maxPredicateDepth: 8,
      maxPredicateConditions: 200,
      maxDryRunEntities: 1000,
      maxValidateEntities: 500,
      statementTimeoutMs: 10_000,
    });
  });

  it('keeps the defaults within a lower maximum', () => {
    expect(read({ maxLimit: 10 })).toMatchObject({
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

  it('rejects limits that are not positive integers', () => {
    expect(() => read({ maxLimit: 0 })).toThrow(
      "Invalid config at 'catalog.pagination.maxLimit': expected an integer of at least 1, got 0.",
    );
    expect(() => read({ maxUnpagedEntities: 0 })).toThrow(
      "Invalid config at 'catalog.pagination.maxUnpagedEntities': expected an integer of at least 1, got 0.",
    );
  });

  it('reads the cap on listings without limit', () => {
    expect(read({ maxUnpagedEntities: 5000 }).maxUnpagedEntities).toBe(5000);
  });

  it('refuses the removed defaultLimit, naming the key that replaces it', () => {
    expect(() => read({ defaultLimit: 100 })).toThrow(
      "Invalid config at 'catalog.pagination.defaultLimit': the key was removed, since it cut 'GET /entities' without 'limit' short into a list that looked complete; that request now answers every match, streamed. Remove the key, and to bound such requests set 'catalog.pagination.maxUnpagedEntities', over which they answer 400 and tell the client to page.",
    );
  });
});
