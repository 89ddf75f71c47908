import { parseEntityOrderParams } from './parseEntityOrderParams';

describe('parseEntityOrderParams', () => {
  it('reads each order parameter as a direction and a field', () => {
    expect(
      parseEntityOrderParams({
        order: ['desc:spec.type', 'asc:metadata.name'],
      }),
    ).toEqual([
      { order: 'desc', field: 'spec.type' },
      { order: 'asc', field: 'metadata.name' },
    ]);
    expect(parseEntityOrderParams({})).toBeUndefined();
  });

  it.each(['metadata.name', 'up:metadata.name', 'asc:', 'ASC:kind'])(
    "rejects '%s', which is not '<asc or desc>:<field>'",
    order => {
      expect(() => parseEntityOrderParams({ order })).toThrow(
        `Invalid query parameter 'order': expected '<asc or desc>:<field>', as in 'asc:metadata.name', got '${order}'.`,
      );
    },
  );

  it('rejects a field outside the entity', () => {
    expect(() => parseEntityOrderParams({ order: 'asc:name' })).toThrow(
      "Invalid query parameter 'order': 'name' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    );
  });
});
