import { mockServices } from '@plinth/backend-test-utils';
import { parseEntityFilterParams } from './parseEntityFilterParams';
import { readQueryLimits } from './readQueryLimits';

const limits = readQueryLimits(mockServices.rootConfig());

describe('parseEntityFilterParams', () => {
  it('reads each parameter as a set of conditions, with lowercased keys and trimmed values', () => {
    expect(
      parseEntityFilterParams(
        {
          filter: [
            'Kind=Component, spec.type = Service',
            'kind=api,metadata.annotations.backstage.io/orphan',
          ],
        },
        limits,
      ),
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
      parseEntityFilterParams(
        { filter: 'kind=component,KIND=api,kind' },
        limits,
      ),
    ).toEqual([[{ key: 'kind', values: ['component', 'api'] }]]);
  });

  it('keeps everything after the first equals sign as the value, and reads key= as an empty value', () => {
    expect(
      parseEntityFilterParams(
        { filter: 'metadata.annotations.a=b=c,spec.x=' },
        limits,
      ),
    ).toEqual([
      [
        { key: 'metadata.annotations.a', values: ['b=c'] },
        { key: 'spec.x', values: [''] },
      ],
    ]);
  });

  it('ignores blank sets and conditions, and answers undefined when nothing is left', () => {
    expect(parseEntityFilterParams({}, limits)).toBeUndefined();
    expect(
      parseEntityFilterParams({ filter: ['', ' , '] }, limits),
    ).toBeUndefined();
    expect(
      parseEntityFilterParams({ filter: [',kind=api,', ''] }, limits),
    ).toEqual([[{ key: 'kind', values: ['api'] }]]);
  });

  it('rejects a condition without a key', () => {
    expect(() =>
      parseEntityFilterParams({ filter: 'kind=api,=foo' }, limits),
    ).toThrow(
      "Invalid query parameter 'filter': condition '=foo' in 'kind=api,=foo' has no key; write conditions as 'key=value' or 'key', separated by commas, as in 'kind=component,spec.type'.",
    );
  });

  it('rejects a key that cannot name an entity field', () => {
    expect(() =>
      parseEntityFilterParams({ filter: 'knd=api' }, limits),
    ).toThrow(
      "Invalid query parameter 'filter': the key of condition 'knd=api' in 'knd=api' cannot match: 'knd' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    );
    expect(() =>
      parseEntityFilterParams({ filter: 'spec..type=x' }, limits),
    ).toThrow(
      "Invalid query parameter 'filter': the key of condition 'spec..type=x' in 'spec..type=x' cannot match: 'spec..type' has an empty part; separate the keys of a path with single dots, as in 'metadata.name'.",
    );
  });

  it('refuses more filter sets or conditions than catalog.queryLimits allows', () => {
    expect(() =>
      parseEntityFilterParams(
        { filter: Array.from({ length: 51 }, (_, i) => `kind=k${i}`) },
        limits,
      ),
    ).toThrow(
      "Invalid query parameter 'filter': 51 filter sets given, more than the 50 that 'catalog.queryLimits.maxFilterSets' allows. Ask for fewer, or split the request.",
    );
    const values = Array.from({ length: 201 }, (_, i) => `kind=k${i}`);
    expect(() =>
      parseEntityFilterParams({ filter: values.join(',') }, limits),
    ).toThrow(
      "Invalid query parameter 'filter': 201 filter conditions and values given, more than the 200 that 'catalog.queryLimits.maxFilterConditions' allows. Ask for fewer, or split the request.",
    );
  });

  it('refuses keys that name a prototype or are longer than any field', () => {
    expect(() =>
      parseEntityFilterParams({ filter: 'metadata.__proto__.x=1' }, limits),
    ).toThrow(
      "Invalid query parameter 'filter': the key of condition 'metadata.__proto__.x=1' in 'metadata.__proto__.x=1' cannot match: 'metadata.__proto__.x' has the part '__proto__', which names an object's prototype, never an entity field.",
    );
    expect(() =>
      parseEntityFilterParams({ filter: `spec.${'a'.repeat(400)}` }, limits),
    ).toThrow(
      `Invalid query parameter 'filter': the key of condition 'spec.${'a'.repeat(400)}' in 'spec.${'a'.repeat(400)}' cannot match: 'spec.${'a'.repeat(35)}...' is 405 characters long, longer than any field of an entity (400).`,
    );
  });
});
