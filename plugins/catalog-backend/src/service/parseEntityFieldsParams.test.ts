import { parseEntityFieldsParams } from './parseEntityFieldsParams';

describe('parseEntityFieldsParams', () => {
  it('splits repeated and comma-separated paths, trims them and drops duplicates', () => {
    expect(
      parseEntityFieldsParams({ fields: ['kind, metadata.name', 'kind'] }, [
        'spec.type',
      ]),
    ).toEqual(['kind', 'metadata.name', 'spec.type']);
  });

  it('answers undefined when no path is given', () => {
    expect(parseEntityFieldsParams({})).toBeUndefined();
    expect(parseEntityFieldsParams({ fields: ' , ' }, [])).toBeUndefined();
  });

  it('rejects array indexes, empty parts and unknown or miscased roots', () => {
    expect(() => parseEntityFieldsParams({ fields: 'relations[0]' })).toThrow(
      "Invalid fields: 'relations[0]' has an array index; name object keys only, as in 'metadata.tags'.",
    );
    expect(() => parseEntityFieldsParams({ fields: 'metadata.' })).toThrow(
      "Invalid fields: 'metadata.' has an empty part; separate the keys of a path with single dots, as in 'metadata.name'.",
    );
    expect(() => parseEntityFieldsParams({}, ['Kind'])).toThrow(
      "Invalid fields: 'Kind' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    );
  });
});
