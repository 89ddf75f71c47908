import { canaries } from '../hostileBackend';
import { component, get, validate, type HostileCase } from '../hostileRequests';

/** Reading secrets back from responses and logs. */
export const secretCases: HostileCase[] = [
  {
    name: 'sends the signing key in an unknown query parameter',
    send: get(
      () =>
        `/api/catalog/entities?nope=${encodeURIComponent(canaries.signingKey)}`,
    ),
    status: 400,
    message:
      "Unknown query parameter 'nope' for GET /entities; the known ones are 'filter', 'fields', 'order', 'limit', 'offset', 'after'.",
  },
  {
    name: 'refreshes an entity named like the signing key',
    send: b =>
      b.request
        .post('/api/catalog/refresh')
        .send({ entityRef: canaries.signingKey }),
    status: 400,
    message: /^Entity ref '\*\*\*' /,
  },
  {
    name: 'looks up a name of the first 30 characters of the signing key',
    send: get(
      () =>
        `/api/catalog/entities/by-name/component/default/${encodeURIComponent(canaries.signingKey.slice(0, 30))}`,
    ),
    status: 404,
    message:
      "No entity named '***' found, with kind 'component' in namespace 'default'.",
  },
  {
    name: 'filters on the URL-encoded signing key with a bad key',
    send: get(
      () =>
        `/api/catalog/entities?filter=${encodeURIComponent(`[0]=${canaries.signingKey}`)}`,
    ),
    status: 400,
    message:
      /^Invalid query parameter 'filter': condition '\*\*\*'|^Invalid query parameter 'filter': the key of condition '\[0\]=\*\*\*'/,
  },
  {
    name: 'validates an entity whose invalid name is the signing key',
    send: validate(component({}, { name: canaries.signingKey })),
    status: 400,
    message:
      /^Invalid entity 'component:default\/\*+': 'metadata\.name' must be 1-63 characters of \[a-zA-Z0-9\], separated by \[-_\.\], got a string of 5\d characters\.$/,
  },
];
