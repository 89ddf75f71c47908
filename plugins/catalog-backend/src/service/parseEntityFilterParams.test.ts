import { parseEntityFilterParams } from './parseEntityFilterParams';

describe('parseEntityFilterParams', () => {
  it('reads each parameter as a set of conditions, with lowercased keys and trimmed values', () => {
    expect(
      parseEntityFilterParams({
        filter: [
          'Kind=Component, spec.type = Service',
          'kind=api,metadata.annotations.backstage.io/orphan',
        ],
      }),
    ).toEqual([
      [
        { key: 'kind', values: ['Component'] },
        { key: 'spec.type', values: ['Service'] },
      ],
      [
        { key: 'kind', values: ['api'] },
        { key: 'metadata.annotations.backstage.io/orphan' },
      ],
    ]);
  });

  it('merges a key given twice in one set into one condition accepting either value', () => {
    expect(
      parseEntityFilterParams({ filter: 'kind=component,KIND=api,kind' }),
    ).toEqual([[{ key: 'kind', values: ['component', 'api'] }]]);
  });

  it('keeps everything after the first equals sign as the value, and reads key= as an empty value', () => {
    expect(
      parseEntityFilterParams({ filter: 'metadata.annotations.a=b=c,spec.x=' }),
    ).toEqual([
      [
        { key: 'metadata.annotations.a', values: ['b=c'] },
        { key: 'spec.x', values: [''] },
      ],
    ]);
  });

  it('ignores blank sets and conditions, and answers undefined when nothing is left', () => {
    expect(parseEntityFilterParams({})).toBeUndefined();
    expect(parseEntityFilterParams({ filter: ['', ' , '] })).toBeUndefined();
    expect(parseEntityFilterParams({ filter: [',kind=api,', ''] })).toEqual([
      [{ key: 'kind', values: ['api'] }],
    ]);
  });

  it('rejects a condition without a key', () => {
    expect(() => parseEntityFilterParams({ filter: 'kind=api,=foo' })).toThrow(
      "Invalid query parameter 'filter': condition '=foo' in 'kind=api,=foo' has no key; write conditions as 'key=value' or 'key', separated by commas, as in 'kind=component,spec.type'.",
    );
  });

  it('rejects a key that cannot name an entity field', () => {
    expect(() => parseEntityFilterParams({ filter: 'knd=api' })).toThrow(
      "Invalid query parameter 'filter': the key of condition 'knd=api' in 'knd=api' cannot match: 'knd' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    );
    expect(() => parseEntityFilterParams({ filter: 'spec..type=x' })).toThrow(
      "Invalid query parameter 'filter': the key of condition 'spec..type=x' in 'spec..type=x' cannot match: 'spec..type' has an empty part; separate the keys of a path with single dots, as in 'metadata.name'.",
    );
  });
});
