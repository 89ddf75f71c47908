import { mockServices } from '@plinth/backend-test-utils';
import { readPaginationConfig } from './readPaginationConfig';

function read(pagination: { defaultLimit?: number; maxLimit?: number }) {
  return readPaginationConfig(
    mockServices.rootConfig({ data: { catalog: { pagination } } }),
  );
}

describe('readPaginationConfig', () => {
  it('defaults to pages of 1000, at most 10000, and query pages of 20', () => {
    expect(readPaginationConfig(mockServices.rootConfig())).toEqual({
      defaultLimit: 1000,
      maxLimit: 10000,
      queryDefaultLimit: 20,
    });
  });

  it('keeps the defaults within a lower maximum', () => {
    expect(read({ maxLimit: 10 })).toEqual({
      defaultLimit: 10,
      maxLimit: 10,
      queryDefaultLimit: 10,
    });
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
