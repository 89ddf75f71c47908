import { mockServices } from '@plinth/backend-test-utils';
import { parseEntityOrderFieldParams } from './parseEntityOrderFieldParams';
import { readQueryLimits } from './readQueryLimits';

const limits = readQueryLimits(mockServices.rootConfig());

describe('parseEntityOrderFieldParams', () => {
  it('reads each orderField as a field and a direction, ascending by default', () => {
    expect(
      parseEntityOrderFieldParams(
        {
          orderField: ['metadata.name, desc', 'kind'],
        },
        limits,
      ),
    ).toEqual([
      { field: 'metadata.name', order: 'desc' },
      { field: 'kind', order: 'asc' },
    ]);
    expect(parseEntityOrderFieldParams({}, limits)).toEqual([]);
  });

  it.each(['metadata.name,up', ',asc', 'kind,asc,desc'])(
    "rejects '%s', which is not '<field>,<asc or desc>'",
    orderField => {
      expect(() => parseEntityOrderFieldParams({ orderField }, limits)).toThrow(
        `Invalid query parameter 'orderField': expected '<field>,<asc or desc>', as in 'metadata.name,asc', got '${orderField}'.`,
      );
    },
  );

  it('rejects a field outside the entity', () => {
    expect(() =>
      parseEntityOrderFieldParams({ orderField: 'uid' }, limits),
    ).toThrow(
      "Invalid query parameter 'orderField': 'uid' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    );
  });
});
