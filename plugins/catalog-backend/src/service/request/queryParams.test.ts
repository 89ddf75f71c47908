import { readStringListParam, readStringParam } from './queryParams';

describe('readStringParam and readStringListParam', () => {
  it('refuse a NUL, naming the parameter, for routers that do not refuse %00 first', () => {
    const nul =
      'it contains a NUL character (\\u0000), which the catalog can neither store nor match; remove it.';
    expect(() => readStringParam({ owner: 'team\u0000' }, 'owner')).toThrow(
      `Invalid query parameter 'owner': ${nul}`,
    );
    expect(() =>
      readStringListParam({ filter: ['kind=a', 'kind=\u0000'] }, 'filter'),
    ).toThrow(`Invalid query parameter 'filter': ${nul}`);
    expect(readStringListParam({ filter: 'kind=a' }, 'filter')).toEqual([
      'kind=a',
    ]);
  });
});
