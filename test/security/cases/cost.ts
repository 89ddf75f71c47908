import {
  cursor,
  cursorBase,
  filterSets,
  get,
  overCap,
  postRaw,
  query,
  type HostileCase,
} from '../hostileRequests';

/** Spending the database. */
export const costCases: HostileCase[] = [
  {
    name: 'orders a listing by 50 fields',
    send: get(
      () =>
        `/api/catalog/entities?${query(Array.from({ length: 50 }, (_, i) => ['order', `asc:spec.f${i}`]))}`,
    ),
    status: 400,
    message: overCap('order', 50, 'order fields', 'maxOrderFields', 5),
  },
  {
    name: 'orders a query by 6 fields',
    send: get(
      () =>
        `/api/catalog/entities/by-query?${query(Array.from({ length: 6 }, (_, i) => ['orderField', `spec.f${i},desc`]))}`,
    ),
    status: 400,
    message: overCap('orderField', 6, 'order fields', 'maxOrderFields', 5),
  },
  {
    name: 'filters with 51 sets',
    send: get(
      () =>
        `/api/catalog/entities?${query(filterSets(51).map(f => ['filter', f]))}`,
    ),
    status: 400,
    message: overCap('filter', 51, 'filter sets', 'maxFilterSets', 50),
  },
  {
    name: 'filters with 600 sets, which PGlite cannot plan',
    send: get(
      () =>
        `/api/catalog/entities/by-query?${query(filterSets(600).map(f => ['filter', f]))}`,
    ),
    status: 400,
    message: overCap('filter', 600, 'filter sets', 'maxFilterSets', 50),
  },
  {
    name: 'filters with 201 conditions in one set',
    send: get(
      () =>
        `/api/catalog/entities?${query([['filter', filterSets(1, 201)[0]]])}`,
    ),
    status: 400,
    message: overCap(
      'filter',
      201,
      'filter conditions and values',
      'maxFilterConditions',
      200,
    ),
  },
  {
    name: 'asks for 51 fields',
    send: get(
      () =>
        `/api/catalog/entities?fields=${Array.from({ length: 51 }, (_, i) => `spec.f${i}`).join(',')}`,
    ),
    status: 400,
    message: overCap('fields', 51, 'field paths', 'maxFields', 50),
  },
  {
    name: 'searches 11 full text fields',
    send: get(
      () =>
        `/api/catalog/entities/by-query?fullTextFilterTerm=a&fullTextFilterFields=${Array.from({ length: 11 }, (_, i) => `spec.f${i}`).join(',')}`,
    ),
    status: 400,
    message: overCap(
      'fullTextFilterFields',
      11,
      'full text fields',
      'maxFullTextFields',
      10,
    ),
  },
  {
    name: 'counts 51 facets',
    send: get(
      () =>
        `/api/catalog/entity-facets?${query(Array.from({ length: 51 }, (_, i) => ['facet', `spec.f${i}`]))}`,
    ),
    status: 400,
    message: overCap('facet', 51, 'facets', 'maxFacets', 50),
  },
  {
    name: 'asks by-refs for 1001 refs',
    send: b =>
      b.request.post('/api/catalog/entities/by-refs').send({
        entityRefs: Array.from(
          { length: 1001 },
          (_, i) => `component:default/c${i}`,
        ),
      }),
    status: 400,
    message:
      "Invalid request body for POST /entities/by-refs: 'entityRefs' has 1001 refs, more than the 1000 that 'catalog.queryLimits.maxEntityRefs' allows. Split the refs over several requests.",
  },
  {
    name: 'sends a cursor of 9000 characters',
    send: get(
      () => `/api/catalog/entities/by-query?cursor=${'A'.repeat(9000)}`,
    ),
    status: 400,
    message:
      "Invalid query parameter 'cursor': it is 9000 characters long, more than the 8192 that 'catalog.queryLimits.maxCursorLength' allows. Pass the 'nextCursor' or 'prevCursor' of an earlier response as it is, or leave 'cursor' out to start over.",
  },
  {
    name: 'sends an after cursor of 9000 characters',
    send: get(() => `/api/catalog/entities?after=${'A'.repeat(9000)}`),
    status: 400,
    message:
      "Invalid query parameter 'after': it is 9000 characters long, more than the 8192 that 'catalog.queryLimits.maxCursorLength' allows. Follow the rel=\"next\" link of an earlier response as it is, or leave 'after' out to start over.",
  },
  {
    name: 'sends a forged cursor with 51 filter sets',
    send: get(
      () =>
        `/api/catalog/entities/by-query?cursor=${cursor({ ...cursorBase, filter: Array.from({ length: 51 }, () => [{ key: 'kind' }]) })}`,
    ),
    status: 400,
    message: overCap('cursor', 51, 'filter sets', 'maxFilterSets', 50),
  },
  {
    name: 'sends a forged cursor with 50 order fields',
    send: get(
      () =>
        `/api/catalog/entities/by-query?cursor=${cursor({ ...cursorBase, orderFields: Array.from({ length: 50 }, (_, i) => ({ field: `spec.f${i}`, order: 'asc' })) })}`,
    ),
    status: 400,
    message: overCap('cursor', 50, 'order fields', 'maxOrderFields', 5),
  },
  {
    name: 'asks for 10001 entities in one page',
    send: get(() => '/api/catalog/entities?limit=10001'),
    status: 400,
    message:
      "Invalid query parameter 'limit': expected an integer of at most 10000 (set by 'catalog.pagination.maxLimit'), got '10001'. Ask for fewer and follow the pages.",
  },
  {
    name: 'searches for a term longer than any indexed value',
    send: get(
      () =>
        `/api/catalog/entities/by-query?fullTextFilterTerm=${'a'.repeat(201)}`,
    ),
    status: 400,
    message:
      "Invalid query parameter 'fullTextFilterTerm': it is 201 characters long, longer than any value the catalog indexes (200), so it cannot match.",
  },
  {
    name: 'orders by a field path of 401 characters',
    send: get(() => `/api/catalog/entities?order=asc:spec.${'a'.repeat(396)}`),
    status: 400,
    message: `Invalid query parameter 'order': 'spec.${'a'.repeat(35)}...' is 401 characters long, longer than any field of an entity (400).`,
  },
  {
    name: 'sends a body nested 65 levels deep',
    send: postRaw(
      '/api/catalog/entities/by-refs',
      `{"entityRefs":[],"fields":${'['.repeat(64)}${']'.repeat(64)}}`,
    ),
    status: 400,
    message: `Request body rejected: its objects and arrays nest more than 64 levels deep, at '${`fields${'[0]'.repeat(64)}`.slice(0, 100)}...', more than 'backend.http.jsonBodyMaxDepth' allows. Send a flatter document.`,
  },
  {
    name: 'sends a body of more than a megabyte',
    send: b =>
      b.request
        .post('/api/catalog/entities/by-refs')
        .send({ entityRefs: ['x'.repeat(1024 * 1024)] }),
    status: 413,
    message:
      "Request body rejected: it is larger than the limit of 1048576 bytes set by 'backend.http.jsonBodyLimit'. Send a smaller body, or raise the limit.",
  },
  {
    name: 'makes the link to the next page longer than clients accept',
    send: get(
      () =>
        `/api/catalog/entities?limit=1&${query([
          ['filter', 'kind=component'],
          ...Array.from({ length: 49 }, (_, i): [string, string] => [
            'filter',
            `metadata.annotations.x${i}${'y'.repeat(90)}`,
          ]),
        ])}`,
    ),
    status: 400,
    message:
      /^Invalid query for GET \/entities: the link to its next page would be \d{4,5} characters long, more than the 4096 that HTTP clients are sure to accept in a header\. Shorten the filters, order by fewer fields, or use GET \/entities\/by-query, whose cursors carry the query\.$/,
  },
  {
    name: 'combines offset and after',
    send: get(() => '/api/catalog/entities?offset=1&after=e30'),
    status: 400,
    message:
      "Invalid query parameters: 'offset' and 'after' cannot be combined, as both say where the page starts. Pass one of them.",
  },
  {
    name: 'lists with the most expensive request the limits allow',
    send: get(
      () =>
        `/api/catalog/entities?limit=10000&${query([
          ...filterSets(49, 4).map((f): [string, string] => ['filter', f]),
          [
            'filter',
            'kind=component,metadata.name,spec.type=service,spec.owner',
          ],
          ...Array.from({ length: 5 }, (_, i): [string, string] => [
            'order',
            `${i % 2 ? 'desc' : 'asc'}:spec.f${i}`,
          ]),
          [
            'fields',
            Array.from({ length: 50 }, (_, i) => `spec.f${i}`).join(','),
          ],
        ])}`,
    ),
    status: 200,
  },
  {
    name: 'queries with the most expensive request the limits allow',
    send: get(
      () =>
        `/api/catalog/entities/by-query?limit=10000&fullTextFilterTerm=e&${query(
          [
            ...filterSets(50, 4).map((f): [string, string] => ['filter', f]),
            ...Array.from({ length: 5 }, (_, i): [string, string] => [
              'orderField',
              `spec.f${i},${i % 2 ? 'desc' : 'asc'}`,
            ]),
            [
              'fullTextFilterFields',
              Array.from({ length: 10 }, (_, i) => `spec.f${i}`).join(','),
            ],
          ],
        )}`,
    ),
    status: 200,
  },
  {
    name: 'counts the most facets the limits allow over the most filters',
    send: get(
      () =>
        `/api/catalog/entity-facets?${query([
          ...Array.from({ length: 50 }, (_, i): [string, string] => [
            'facet',
            `spec.f${i}`,
          ]),
          ...filterSets(50, 4).map((f): [string, string] => ['filter', f]),
        ])}`,
    ),
    status: 200,
  },
  {
    name: 'asks by-refs for the most refs the limits allow, filtered',
    send: b =>
      b.request
        .post(
          `/api/catalog/entities/by-refs?${query(filterSets(50, 4).map(f => ['filter', f]))}`,
        )
        .send({
          entityRefs: Array.from(
            { length: 1000 },
            (_, i) => `component:default/c${i}`,
          ),
        }),
    status: 200,
  },
];
