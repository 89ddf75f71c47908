import { parseEntityOrderFieldParams } from './parseEntityOrderFieldParams';

describe('parseEntityOrderFieldParams', () => {
  it('reads each orderField as a field and a direction, ascending by default', () => {
    expect(
      parseEntityOrderFieldParams({
        orderField: ['metadata.name, desc', 'kind'],
      }),
    ).toEqual([
      { field: 'metadata.name', order: 'desc' },
      { field: 'kind', order: 'asc' },
    ]);
    expect(parseEntityOrderFieldParams({})).toEqual([]);
  });

  it.each(['metadata.name,up', ',asc', 'kind,asc,desc'])(
    "rejects '%s', which is not '<field>,<asc or desc>'",
    orderField => {
      expect(() => parseEntityOrderFieldParams({ orderField })).toThrow(
        `Invalid query parameter 'orderField': expected '<field>,<asc or desc>', as in 'metadata.name,asc', got '${orderField}'.`,
      );
    },
  );

  it('rejects a field outside the entity', () => {
    expect(() => parseEntityOrderFieldParams({ orderField: 'uid' })).toThrow(
      "Invalid query parameter 'orderField': 'uid' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    );
  });
});
