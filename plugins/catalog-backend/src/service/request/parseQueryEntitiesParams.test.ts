import { mockServices } from '@plinth/backend-test-utils';
import { encodeCursor } from './cursor';
import { parseQueryEntitiesParams } from './parseQueryEntitiesParams';
import { readQueryLimits } from './readQueryLimits';

const limits = readQueryLimits(
  mockServices.rootConfig({
    data: {
      catalog: {
        pagination: { maxLimit: 500 },
        queryLimits: { maxFilterSets: 2, maxOrderFields: 2 },
      },
    },
  }),
);
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
    expect(parseRequest({}, limits)).toEqual({
      limit: 20,
      query: { orderFields: [], totalItems: 'include' },
    });
  });

  it('reads every parameter of a first page request', () => {
    expect(
      parseRequest(
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
    expect(parseRequest({ fullTextFilterTerm: ' ' }, limits).query).toEqual({
      orderFields: [],
      totalItems: 'include',
    });
  });

  it('reads the query from a cursor and ignores the query parameters beside it', () => {
    expect(
      parseRequest(
        { cursor: encodeCursor(cursor), limit: '3', filter: 'kind=api' },
        limits,
      ),
    ).toEqual({ limit: 3, query: { cursor } });
  });

  it('rejects an unknown totalItems mode and a bad full text field', () => {
    expect(() => parseRequest({ totalItems: 'approximate' }, limits)).toThrow(
      "Invalid query parameter 'totalItems': expected 'include' or 'exclude', got 'approximate'.",
    );
    expect(() =>
      parseRequest(
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
    [
      encodeCursor({
        ...cursor,
        orderFields: [{ field: 'metadata.__proto__', order: 'asc' }],
      }),
      "its 'orderFields' holds an invalid path: 'metadata.__proto__' has the part '__proto__', which names an object's prototype, never an entity field.",
    ],
    [
      encodeCursor({ ...cursor, filter: [[{ key: 'kind[0]' }]] }),
      "its 'filter' holds an invalid path: 'kind[0]' has an array index; name object keys only, as in 'metadata.tags'.",
    ],
  ])('rejects the cursor %s', (text, reason) => {
    const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
    const expected = reason.startsWith('(')
      ? `Invalid query parameter 'cursor' ${reason} ${fix}`
      : `Invalid query parameter 'cursor' ('${shown}'): ${reason} ${fix}`;
    expect(() => parseRequest({ cursor: text }, limits)).toThrow(expected);
  });

  it('holds the query of a cursor to the same limits as its parameters', () => {
    const withOrder = encodeCursor({
      ...cursor,
      orderFields: ['a', 'b', 'c'].map(field => ({
        field: `metadata.${field}`,
        order: 'asc',
      })),
      position: [null, null, null, 'uid'],
      firstPosition: [null, null, null, 'uid'],
    });
    expect(() => parseRequest({ cursor: withOrder }, limits)).toThrow(
      "Invalid query parameter 'cursor': 3 order fields given, more than the 2 that 'catalog.queryLimits.maxOrderFields' allows. Ask for fewer, or split the request.",
    );
    const withFilter = encodeCursor({
      ...cursor,
      filter: [[{ key: 'kind' }], [{ key: 'kind' }], [{ key: 'kind' }]],
    });
    expect(() => parseRequest({ cursor: withFilter }, limits)).toThrow(
      "Invalid query parameter 'cursor': 3 filter sets given, more than the 2 that 'catalog.queryLimits.maxFilterSets' allows. Ask for fewer, or split the request.",
    );
  });

  it('refuses more order fields, full text fields or a longer term than allowed', () => {
    expect(() =>
      parseRequest(
        { orderField: ['kind', 'spec.type', 'metadata.name'] },
        limits,
      ),
    ).toThrow(
      "Invalid query parameter 'orderField': 3 order fields given, more than the 2 that 'catalog.queryLimits.maxOrderFields' allows. Ask for fewer, or split the request.",
    );
    expect(() =>
      parseRequest(
        {
          fullTextFilterTerm: 'x',
          fullTextFilterFields: Array.from(
            { length: 11 },
            (_, i) => `spec.f${i}`,
          ).join(','),
        },
        limits,
      ),
    ).toThrow(
      "Invalid query parameter 'fullTextFilterFields': 11 full text fields given, more than the 10 that 'catalog.queryLimits.maxFullTextFields' allows. Ask for fewer, or split the request.",
    );
    expect(() =>
      parseRequest({ fullTextFilterTerm: 'x'.repeat(201) }, limits),
    ).toThrow(
      "Invalid query parameter 'fullTextFilterTerm': it is 201 characters long, longer than any value the catalog indexes (200), so it cannot match.",
    );
  });
});

/** The request parsed from parameters without a predicate. */
function parseRequest(
  query: Record<string, unknown>,
  queryLimits: typeof limits,
) {
  return parseQueryEntitiesParams(query, queryLimits).request;
}
