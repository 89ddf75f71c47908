import { mockServices } from '@plinth/backend-test-utils';
import { parseEntityFieldsParams } from './parseEntityFieldsParams';
import { readQueryLimits } from './readQueryLimits';

const limits = readQueryLimits(mockServices.rootConfig());

describe('parseEntityFieldsParams', () => {
  it('splits repeated and comma-separated paths, trims them and drops duplicates', () => {
    expect(
      parseEntityFieldsParams(
        { fields: ['kind, metadata.name', 'kind'] },
        limits,
        ['spec.type'],
      ),
    ).toEqual(['kind', 'metadata.name', 'spec.type']);
  });

  it('answers undefined when no path is given', () => {
    expect(parseEntityFieldsParams({}, limits)).toBeUndefined();
    expect(
      parseEntityFieldsParams({ fields: ' , ' }, limits, []),
    ).toBeUndefined();
  });

  it('rejects array indexes, empty parts and unknown or miscased roots', () => {
    expect(() =>
      parseEntityFieldsParams({ fields: 'relations[0]' }, limits),
    ).toThrow(
      "Invalid fields: 'relations[0]' has an array index; name object keys only, as in 'metadata.tags'.",
    );
    expect(() =>
      parseEntityFieldsParams({ fields: 'metadata.' }, limits),
    ).toThrow(
      "Invalid fields: 'metadata.' has an empty part; separate the keys of a path with single dots, as in 'metadata.name'.",
    );
    expect(() => parseEntityFieldsParams({}, limits, ['Kind'])).toThrow(
      "Invalid fields: 'Kind' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    );
  });

  it('refuses more fields than catalog.queryLimits allows, and prototype paths', () => {
    expect(() =>
      parseEntityFieldsParams(
        {
          fields: Array.from({ length: 51 }, (_, i) => `spec.f${i}`).join(','),
        },
        limits,
      ),
    ).toThrow(
      "Invalid query parameter 'fields': 51 field paths given, more than the 50 that 'catalog.queryLimits.maxFields' allows. Ask for fewer, or split the request.",
    );
    expect(() =>
      parseEntityFieldsParams(
        { fields: 'metadata.__proto__.polluted' },
        limits,
      ),
    ).toThrow(
      "Invalid fields: 'metadata.__proto__.polluted' has the part '__proto__', which names an object's prototype, never an entity field.",
    );
  });
});
