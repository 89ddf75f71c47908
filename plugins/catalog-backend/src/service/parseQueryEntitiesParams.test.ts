import { encodeCursor } from './encodeCursor';
import { parseQueryEntitiesParams } from './parseQueryEntitiesParams';

const limits = { defaultLimit: 100, maxLimit: 500, queryDefaultLimit: 20 };
const fix =
  "Pass the 'nextCursor' or 'prevCursor' of an earlier response as it is, or leave 'cursor' out to start over.";
const cursor = {
  filter: [[{ key: 'kind', values: ['component'] }]],
  orderFields: [{ field: 'metadata.name', order: 'desc' }],
  fullTextFilter: { term: 'pet', fields: ['metadata.name'] },
  position: ['b', 'component:default/b'],
  firstPosition: ['z', 'component:default/z'],
  isPrevious: true,
  totalItems: 7,
};

describe('parseQueryEntitiesParams', () => {
  it('reads a first page request with its defaults', () => {
    expect(parseQueryEntitiesParams({}, limits)).toEqual({
      limit: 20,
      query: { orderFields: [], totalItems: 'include' },
    });
  });

  it('reads every parameter of a first page request', () => {
    expect(
      parseQueryEntitiesParams(
        {
          filter: 'kind=component',
          fields: 'metadata.name',
          limit: '0',
          offset: '5',
          orderField: 'metadata.name,desc',
          totalItems: 'exclude',
          fullTextFilterTerm: '  pet ',
          fullTextFilterFields: 'metadata.name, spec.type',
        },
        limits,
      ),
    ).toEqual({
      limit: 0,
      fields: ['metadata.name'],
      query: {
        filter: [[{ key: 'kind', values: ['component'] }]],
        orderFields: [{ field: 'metadata.name', order: 'desc' }],
        fullTextFilter: { term: 'pet', fields: ['metadata.name', 'spec.type'] },
        offset: 5,
        totalItems: 'exclude',
      },
    });
  });

  it('ignores a blank full text term', () => {
    expect(
      parseQueryEntitiesParams({ fullTextFilterTerm: ' ' }, limits).query,
    ).toEqual({ orderFields: [], totalItems: 'include' });
  });

  it('reads the query from a cursor and ignores the query parameters beside it', () => {
    expect(
      parseQueryEntitiesParams(
        { cursor: encodeCursor(cursor), limit: '3', filter: 'kind=api' },
        limits,
      ),
    ).toEqual({ limit: 3, query: { cursor } });
  });

  it('rejects an unknown totalItems mode and a bad full text field', () => {
    expect(() =>
      parseQueryEntitiesParams({ totalItems: 'approximate' }, limits),
    ).toThrow(
      "Invalid query parameter 'totalItems': expected 'include' or 'exclude', got 'approximate'.",
    );
    expect(() =>
      parseQueryEntitiesParams(
        { fullTextFilterTerm: 'x', fullTextFilterFields: 'name' },
        limits,
      ),
    ).toThrow(
      "Invalid query parameter 'fullTextFilterFields': 'name' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    );
  });

  it.each([
    ['not+base64', "('not+base64'): it is not URL-safe base64."],
    [
      Buffer.from('{"a":').toString('base64url'),
      "('eyJhIjo'): it does not decode to JSON.",
    ],
    [encodeCursor([1]), "('WzFd'): it is not a cursor object."],
    [
      encodeCursor({ ...cursor, orderFields: [{ field: 'x', order: 'up' }] }),
      "its 'orderFields' is not a list of order fields.",
    ],
    [
      encodeCursor({ ...cursor, filter: [{ key: 'kind' }] }),
      "its 'filter' is not a list of filter sets.",
    ],
    [
      encodeCursor({ ...cursor, fullTextFilter: { term: 1 } }),
      "its 'fullTextFilter' is not a full text filter.",
    ],
    [
      encodeCursor({ ...cursor, position: ['b'] }),
      "its 'position' is not a position in its order.",
    ],
    [
      encodeCursor({ ...cursor, firstPosition: ['z', null] }),
      "its 'firstPosition' is not a position in its order.",
    ],
    [
      encodeCursor({ ...cursor, isPrevious: 'yes' }),
      "its 'isPrevious' is not true or false.",
    ],
    [
      encodeCursor({ ...cursor, totalItems: -1 }),
      "its 'totalItems' is not a count.",
    ],
  ])('rejects the cursor %s', (text, reason) => {
    const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
    const expected = reason.startsWith('(')
      ? `Invalid query parameter 'cursor' ${reason} ${fix}`
      : `Invalid query parameter 'cursor' ('${shown}'): ${reason} ${fix}`;
    expect(() => parseQueryEntitiesParams({ cursor: text }, limits)).toThrow(
      expected,
    );
  });
});
