import {
  component,
  cursor,
  cursorBase,
  get,
  postRaw,
  prototypePart,
  validate,
  type HostileCase,
} from '../hostileRequests';

/** Reaching a prototype. */
export const prototypeCases: HostileCase[] = [
  {
    name: 'projects a field below __proto__',
    send: get(() => '/api/catalog/entities?fields=metadata.__proto__.polluted'),
    status: 400,
    message: `Invalid fields: ${prototypePart('metadata.__proto__.polluted', '__proto__')}.`,
  },
  {
    name: 'projects a field below constructor.prototype',
    send: get(
      () => '/api/catalog/entities?fields=metadata.constructor.prototype.x',
    ),
    status: 400,
    message: `Invalid fields: ${prototypePart('metadata.constructor.prototype.x', 'constructor')}.`,
  },
  {
    name: 'filters on a key below __proto__',
    send: get(
      () => '/api/catalog/entities?filter=metadata.__proto__.polluted=1',
    ),
    status: 400,
    message: `Invalid query parameter 'filter': the key of condition 'metadata.__proto__.polluted=1' in 'metadata.__proto__.polluted=1' cannot match: ${prototypePart('metadata.__proto__.polluted', '__proto__')}.`,
  },
  {
    name: 'orders by __proto__',
    send: get(() => '/api/catalog/entities?order=asc:metadata.__proto__'),
    status: 400,
    message: `Invalid query parameter 'order': ${prototypePart('metadata.__proto__', '__proto__')}.`,
  },
  {
    name: 'orders a query by prototype',
    send: get(
      () => '/api/catalog/entities/by-query?orderField=spec.prototype,asc',
    ),
    status: 400,
    message: `Invalid query parameter 'orderField': ${prototypePart('spec.prototype', 'prototype')}.`,
  },
  {
    name: 'searches full text below __proto__',
    send: get(
      () =>
        '/api/catalog/entities/by-query?fullTextFilterTerm=a&fullTextFilterFields=metadata.__proto__',
    ),
    status: 400,
    message: `Invalid query parameter 'fullTextFilterFields': ${prototypePart('metadata.__proto__', '__proto__')}.`,
  },
  {
    name: 'counts facets of __proto__',
    send: get(() => '/api/catalog/entity-facets?facet=metadata.__proto__'),
    status: 400,
    message: `Invalid query parameter 'facet': ${prototypePart('metadata.__proto__', '__proto__')}.`,
  },
  {
    name: 'sends a by-refs body with a __proto__ key',
    send: postRaw(
      '/api/catalog/entities/by-refs',
      '{"entityRefs":[],"__proto__":{"polluted":true}}',
    ),
    status: 400,
    message:
      "Request body rejected: it has the key '__proto__' at '__proto__', which names an object's prototype and is refused in every request body. Rename the key.",
  },
  {
    name: 'asks by-refs for fields below __proto__',
    send: b =>
      b.request.post('/api/catalog/entities/by-refs').send({
        entityRefs: ['component:default/cart'],
        fields: ['metadata.__proto__.x'],
      }),
    status: 400,
    message: `Invalid fields: ${prototypePart('metadata.__proto__.x', '__proto__')}.`,
  },
  {
    name: 'validates an entity with a __proto__ key in its metadata',
    send: postRaw(
      '/api/catalog/validate-entity',
      '{"entity":{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"a","__proto__":{"polluted":1}}},"location":"url:https://x/a.yaml"}',
    ),
    status: 400,
    message:
      "Request body rejected: it has the key '__proto__' at 'entity.metadata.__proto__', which names an object's prototype and is refused in every request body. Rename the key.",
  },
  {
    name: 'registers a location with a __proto__ key that would set its type',
    send: postRaw(
      '/api/catalog/locations',
      '{"__proto__":{"type":"file"},"target":"/etc/passwd"}',
    ),
    status: 400,
    message:
      "Request body rejected: it has the key '__proto__' at '__proto__', which names an object's prototype and is refused in every request body. Rename the key.",
  },
  {
    name: 'refreshes with a constructor key',
    send: postRaw(
      '/api/catalog/refresh',
      '{"entityRef":"component:default/cart","constructor":{"prototype":{"x":1}}}',
    ),
    status: 400,
    message:
      "Request body rejected: it has the key 'constructor' at 'constructor', which names an object's prototype and is refused in every request body. Rename the key.",
  },
  {
    name: 'validates an entity with a prototype key deep in its spec',
    send: b =>
      validate(component({ deep: [{ nested: { prototype: { x: 1 } } }] }))(b),
    status: 400,
    message:
      "Request body rejected: it has the key 'prototype' at 'entity.spec.deep[0].nested.prototype', which names an object's prototype and is refused in every request body. Rename the key.",
  },
  {
    name: 'sends a cursor that orders by __proto__',
    send: get(
      () =>
        `/api/catalog/entities/by-query?cursor=${cursor({ ...cursorBase, orderFields: [{ field: 'metadata.__proto__', order: 'asc' }], position: [null, 'x'], firstPosition: [null, 'x'] })}`,
    ),
    status: 400,
    message: new RegExp(
      `^Invalid query parameter 'cursor' \\('[A-Za-z0-9_-]{40}\\.\\.\\.'\\): its 'orderFields' holds an invalid path: ${prototypePart('metadata.__proto__', '__proto__').replace(/[.*+?^${}()|[\]\\']/g, '\\$&')}\\.`,
    ),
  },
];
