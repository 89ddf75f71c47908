import { mockServices } from '@plinth/backend-test-utils';
import { parseEntityOrderParams } from './parseEntityOrderParams';
import { readQueryLimits } from './readQueryLimits';

const limits = readQueryLimits(mockServices.rootConfig());

describe('parseEntityOrderParams', () => {
  it('reads each order parameter as a direction and a field', () => {
    expect(
      parseEntityOrderParams(
        {
          order: ['desc:spec.type', 'asc:metadata.name'],
        },
        limits,
      ),
    ).toEqual([
      { order: 'desc', field: 'spec.type' },
      { order: 'asc', field: 'metadata.name' },
    ]);
    expect(parseEntityOrderParams({}, limits)).toBeUndefined();
  });

  it.each(['metadata.name', 'up:metadata.name', 'asc:', 'ASC:kind'])(
    "rejects '%s', which is not '<asc or desc>:<field>'",
    order => {
      expect(() => parseEntityOrderParams({ order }, limits)).toThrow(
        `Invalid query parameter 'order': expected '<asc or desc>:<field>', as in 'asc:metadata.name', got '${order}'.`,
      );
    },
  );

  it('rejects a field outside the entity', () => {
    expect(() => parseEntityOrderParams({ order: 'asc:name' }, limits)).toThrow(
      "Invalid query parameter 'order': 'name' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    );
  });

  it('refuses more order fields than catalog.queryLimits allows', () => {
    expect(() =>
      parseEntityOrderParams(
        { order: Array.from({ length: 50 }, (_, i) => `asc:spec.f${i}`) },
        limits,
      ),
    ).toThrow(
      "Invalid query parameter 'order': 50 order fields given, more than the 5 that 'catalog.queryLimits.maxOrderFields' allows. Ask for fewer, or split the request.",
    );
  });
});
