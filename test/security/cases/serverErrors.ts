import {
  api,
  component,
  get,
  postRaw,
  validate,
  type HostileCase,
} from '../hostileRequests';

/** Making the catalog answer 500. */
export const serverErrorCases: HostileCase[] = [
  {
    name: 'looks up a name with an encoded NUL',
    send: get(() => '/api/catalog/entities/by-name/component/default/cart%00'),
    status: 400,
    message:
      "Request rejected: its URL contains an encoded NUL character ('%00'), which no route accepts. Remove it from the path and query.",
  },
  {
    name: 'filters with an encoded NUL',
    send: get(() => '/api/catalog/entities?filter=kind%3Dcomponent%00'),
    status: 400,
    message:
      "Request rejected: its URL contains an encoded NUL character ('%00'), which no route accepts. Remove it from the path and query.",
  },
  {
    name: 'sends a NUL character in a body',
    send: postRaw(
      '/api/catalog/refresh',
      '{"entityRef":"component:default/cart\\u0000"}',
    ),
    status: 400,
    message:
      "Request body rejected: the string at 'entityRef' contains a NUL character (\\u0000), which no plugin can store. Remove it.",
  },
  {
    name: 'looks up a uid with a malformed escape',
    send: get(() => '/api/catalog/entities/by-uid/%E0%A4%A'),
    status: 400,
    message:
      "Request rejected: its path holds a malformed percent-escape. Write '%' as '%25' where it stands for itself.",
  },
  {
    name: 'looks up a name with a lone percent sign',
    send: get(() => '/api/catalog/entities/by-name/component/%/cart'),
    status: 400,
    message:
      "Request rejected: its path holds a malformed percent-escape. Write '%' as '%25' where it stands for itself.",
  },
  {
    name: 'sends JSON nested a hundred thousand levels deep',
    send: postRaw(
      '/api/catalog/entities/by-refs',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    ),
    status: 400,
    message:
      /^Request body rejected: its objects and arrays nest more than 64 levels deep/,
  },
  {
    name: 'looks up a uid that is no UUID',
    send: get(() => '/api/catalog/entities/by-uid/not-a-uuid'),
    status: 404,
    message:
      "No entity with uid 'not-a-uuid' found. Uids change when an entity is deleted and created again; look it up by name instead.",
  },
  {
    name: 'deletes a uid that is no UUID',
    send: b => b.request.delete('/api/catalog/entities/by-uid/not-a-uuid'),
    status: 204,
  },
  {
    name: 'asks for a location id that is no UUID',
    send: get(() => '/api/catalog/locations/not-a-uuid'),
    status: 404,
    message:
      "No location with id 'not-a-uuid' exists. List the registered locations with GET /locations.",
  },
  {
    name: 'validates an API without its definition',
    send: validate({
      ...api(undefined),
      spec: { type: 'openapi', lifecycle: 'production', owner: 'team-a' },
    }),
    status: 400,
    message:
      "Invalid entity 'api:default/probe': 'spec.definition' is required.",
  },
  {
    name: 'validates an entity with an invalid name',
    send: validate(component({}, { name: '-bad-' })),
    status: 400,
    message:
      "Invalid entity 'component:default/-bad-': 'metadata.name' must be 1-63 characters of [a-zA-Z0-9], separated by [-_.], got a string of 5 characters.",
  },
  {
    name: 'refreshes an entity that does not exist',
    send: b =>
      b.request
        .post('/api/catalog/refresh')
        .send({ entityRef: 'component:default/nope' }),
    status: 404,
    message:
      "Entity 'component:default/nope' not found; check the ref, written as 'kind:namespace/name', against the catalog.",
  },
  {
    name: 'refreshes a ref without a kind',
    send: b => b.request.post('/api/catalog/refresh').send({ entityRef: 'x' }),
    status: 400,
    message: /^Entity ref 'x' has no kind/,
  },
  {
    name: 'repeats the limit parameter',
    send: get(() => '/api/catalog/entities?limit=1&limit=2'),
    status: 400,
    message:
      "Invalid query parameter 'limit': expected one value, got 2 ('1', '2'). Pass 'limit' once.",
  },
  {
    name: 'sends an unknown parameter',
    send: get(() => '/api/catalog/entities?filters=kind=component'),
    status: 400,
    message:
      "Unknown query parameter 'filters' for GET /entities; the known ones are 'filter', 'fields', 'order', 'limit', 'offset', 'after'.",
  },
  {
    name: 'registers an array as a location',
    send: b =>
      b.request.post('/api/catalog/locations').send(['url', 'https://x']),
    status: 400,
    message:
      'Invalid location in the body of POST /locations: expected an object like { "type": "url", "target": "https://..." }, got ["url","https://x"].',
  },
  {
    name: 'sends a cursor that is not base64',
    send: get(() => '/api/catalog/entities/by-query?cursor=not+base64'),
    status: 400,
    message:
      "Invalid query parameter 'cursor' ('not base64'): it is not URL-safe base64. Pass the 'nextCursor' or 'prevCursor' of an earlier response as it is, or leave 'cursor' out to start over.",
  },
  {
    name: 'looks up a name of 1000 characters',
    send: get(
      () =>
        `/api/catalog/entities/by-name/component/default/${'n'.repeat(1000)}`,
    ),
    status: 404,
    message: `No entity named '${'n'.repeat(1000)}' found, with kind 'component' in namespace 'default'.`,
  },
  {
    name: 'sends by-refs a body that is not JSON',
    send: b =>
      b.request
        .post('/api/catalog/entities/by-refs')
        .set('Content-Type', 'text/plain')
        .send('component:default/cart'),
    status: 400,
    message:
      "Invalid request body for POST /entities/by-refs: expected a JSON object sent with Content-Type 'application/json', got no body.",
  },
  {
    name: 'sends a body in an encoding nobody supports',
    send: postRaw('/api/catalog/entities/by-refs', '{}', {
      'Content-Encoding': 'x-unknown',
    }),
    status: 415,
    message:
      "Request body rejected: its Content-Encoding 'x-unknown' is not supported. Send it uncompressed, or as gzip, deflate or br.",
  },
  {
    name: 'refreshes the config location many times at once, while it runs',
    send: async b => {
      const list = await b.request.get(
        '/api/catalog/entities?filter=kind=location&fields=metadata.name',
      );
      const [{ metadata }] = list.body as Array<{
        metadata: { name: string };
      }>;
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          b.request
            .post('/api/catalog/refresh')
            .send({ entityRef: `location:default/${metadata.name}` }),
        ),
      );
      return responses.find(r => r.status !== 200) ?? responses[0];
    },
    status: 200,
  },
];
