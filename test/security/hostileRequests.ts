import { createHmac } from 'node:crypto';
import supertest, { type Response } from 'supertest';
import { canaries, type HostileBackend } from './hostileBackend';

/**
 * What a hostile caller sends, and the messages the catalog must answer
 * with: the building blocks of the cases in `cases/`.
 */

/** One thing a hostile caller tries, and how the catalog must answer. */
export interface HostileCase {
  name: string;
  send(backend: HostileBackend): Promise<Response>;
  status: number;
  /** The error message, exactly or as a pattern; `undefined` for success. */
  message?: Expected;
  /** The message of the innermost cause: why the request was refused. */
  reason?: Expected;
}

export type Expected = string | RegExp | ((backend: HostileBackend) => string);

export const component = (
  spec: Record<string, unknown> = {},
  metadata = {},
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'probe', ...metadata },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a', ...spec },
});

/** An API whose definition is a placeholder: where catalogs use them. */
export const api = (definition: unknown, metadata = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'probe', ...metadata },
  spec: {
    type: 'openapi',
    lifecycle: 'production',
    owner: 'team-a',
    definition,
  },
});

export const location = (spec: Record<string, unknown>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Location',
  metadata: { name: 'probe' },
  spec,
});

/** Validates an entity as if read from a location on the allowed server. */
export function validate(entity: unknown, at?: (b: HostileBackend) => string) {
  return (backend: HostileBackend) =>
    backend.request.post('/api/catalog/validate-entity').send({
      entity,
      location: at?.(backend) ?? `url:${backend.allowedBase}/catalog-info.yaml`,
    });
}

export function dryRun(target: (b: HostileBackend) => string) {
  return (backend: HostileBackend) =>
    backend.request
      .post('/api/catalog/locations?dryRun=true')
      .send({ type: 'url', target: target(backend) });
}

export function get(path: (b: HostileBackend) => string) {
  return (backend: HostileBackend) => backend.request.get(path(backend));
}

/** Sends a raw body, as a client that builds JSON by hand would. */
export function postRaw(
  path: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
) {
  return (backend: HostileBackend) => {
    // Sent as it is: supertest would write a Buffer as JSON.
    let test = backend.request
      .post(path)
      .set('Content-Type', 'application/json')
      .serialize(raw => raw as string);
    for (const [name, value] of Object.entries(headers)) {
      test = test.set(name, value);
    }
    return test.send(body);
  };
}

/** A request without the attacker's token, or with another one. */
export function asStranger(
  path: string,
  options: {
    token?: string;
    body?: string | Buffer;
    headers?: Record<string, string>;
  },
) {
  return (backend: HostileBackend) => {
    let test = supertest(backend.server)
      .post(path)
      .set('Content-Type', 'application/json')
      .serialize(raw => raw as string);
    if (options.token) {
      test = test.set('Authorization', `Bearer ${options.token}`);
    }
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      test = test.set(name, value);
    }
    return test.send(options.body ?? '{}');
  };
}

/** A token signed with the backend's own key, as a flawed issuer would. */
export function signedToken(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'vnd.backstage.user' },
  key: string = canaries.signingKey,
): string {
  const encode = (value: unknown) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  const signature =
    header.alg === 'none'
      ? ''
      : createHmac('sha256', key).update(input).digest('base64url');
  return `${input}.${signature}`;
}

export const now = () => Math.floor(Date.now() / 1000);

export function withToken(
  token: string,
  path = '/api/catalog/entities?limit=1',
) {
  return (backend: HostileBackend) =>
    supertest(backend.server).get(path).set('Authorization', `Bearer ${token}`);
}

export const filterSets = (count: number, size = 1) =>
  Array.from({ length: count }, (_, set) =>
    Array.from({ length: size }, (_, c) => `spec.f${set}x${c}=v`).join(','),
  );

export const query = (params: Array<[string, string]>) =>
  params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

export const cursor = (data: object) =>
  Buffer.from(JSON.stringify(data)).toString('base64url');

export const cursorBase = {
  orderFields: [],
  position: ['x'],
  firstPosition: ['x'],
  isPrevious: false,
  totalItems: 1,
};

export const overCap = (
  param: string,
  count: number,
  what: string,
  cap: string,
  limit: number,
) =>
  `Invalid query parameter '${param}': ${count} ${what} given, more than the ${limit} that 'catalog.queryLimits.${cap}' allows. Ask for fewer, or split the request.`;

export const scheme = (ref: string, where: string) =>
  `Invalid location '${ref}' in ${where}: its scheme 'file:' is not 'http:' or 'https:', the only ones a 'url' location may have.`;

export const credential = (
  ref: string,
  where: string,
  carried: string,
  host: string,
) =>
  `Invalid location '${ref}' in ${where}: it carries a credential in ${carried}, and location targets are shown to every catalog reader and written to logs; remove it from the URL and give it to the URL reader instead, in the 'headers' of the rule for host '${host}' in 'backend.reading.allow'.`;

export const prototypePart = (path: string, part: string) =>
  `'${path}' has the part '${part}', which names an object's prototype, never an entity field`;

export const localFile = (url: string) =>
  `'${url}' is a local file, and only entities read from file locations may read local files. Use a URL of the same host as the entity instead.`;

/** How the URL reader names the address each of the wildcard hosts has. */
export const addressKinds: Record<string, string> = {
  'nat64.wild.test': 'a NAT64 address of a loopback address',
  'nat64-local.wild.test': 'a local-use NAT64 address',
  'sixtofour.wild.test': 'a 6to4 address of a private address',
  'compat.wild.test': 'an IPv4-compatible address of a loopback address',
  'mapped.wild.test': 'an IPv4-mapped address of a link-local address',
  'teredo.wild.test': 'a Teredo address of a documentation address',
  'benchmark.wild.test': 'a benchmarking address',
  'metadata.wild.test': 'a link-local address',
  'ula.wild.test': 'a private address',
};
