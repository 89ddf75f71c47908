import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@plinth/backend-plugin-api';
import { parseEntityRef, type CompoundEntityRef } from '@plinth/catalog-model';
import { ResponseError, ServiceUnavailableError } from '@plinth/errors';

/**
 * Which entities to return. Keys are dotted paths into the entity, such as
 * `metadata.name` or `relations.ownedby`; values are matched without regard
 * to case, and `CATALOG_FILTER_EXISTS` matches any value.
 *
 * @remarks
 * An array of records ORs the records; the keys of one record AND; several
 * values of one key OR. `[{ kind: ['API', 'Component'] }, { 'metadata.name': 'a' }]`
 * means `(kind = API or kind = Component) or metadata.name = a`.
 *
 * @public
 */
export type EntityFilterQuery =
  | Record<string, string | symbol | Array<string | symbol>>[]
  | Record<string, string | symbol | Array<string | symbol>>;

/**
 * The parts of each entity to return, as dotted paths such as
 * `metadata.name` or `spec`; everything else is left out.
 *
 * @public
 */
export type EntityFieldsQuery = string[];

/**
 * How to order entities: by one or more dotted paths, ascending or
 * descending, compared without regard to case. Entities without the field
 * come last.
 *
 * @public
 */
export type EntityOrderQuery =
  | { field: string; order: 'asc' | 'desc' }
  | Array<{ field: string; order: 'asc' | 'desc' }>;

/**
 * Stands for "any value" in an `EntityFilterQuery`: the condition matches
 * every entity that has the key, whatever its value.
 *
 * @remarks
 * A registered symbol with the key `@backstage/catalog-client` uses, so a
 * filter built with that package's `CATALOG_FILTER_EXISTS` means the same
 * to `CatalogService`, and the other way round.
 *
 * @example
 * ```ts
 * await catalog.getEntities(
 *   { filter: { kind: 'component', 'spec.owner': CATALOG_FILTER_EXISTS } },
 *   { credentials },
 * );
 * ```
 * @public
 */
export const CATALOG_FILTER_EXISTS: unique symbol = Symbol.for(
  'CATALOG_FILTER_EXISTS_0e15b590c0b343a2bae3e787e84c2111',
);

/**
 * The query string of one catalog request, encoded as
 * `@backstage/catalog-client` encodes it, so the catalog reads both alike.
 */
export class CatalogQuery {
  readonly #params = new URLSearchParams();

  /**
   * One `filter` parameter per filter set, its conditions joined by commas:
   * `key=value`, or `key` alone for `CATALOG_FILTER_EXISTS`. Sets without
   * conditions are left out, as they would match everything.
   */
  filter(filter: EntityFilterQuery | undefined): this {
    for (const set of [filter ?? []].flat()) {
      const conditions: string[] = [];
      for (const [key, values] of Object.entries(set)) {
        for (const value of [values].flat()) {
          if (value === CATALOG_FILTER_EXISTS) {
            conditions.push(key);
          } else if (typeof value === 'string') {
            conditions.push(`${key}=${value}`);
          }
        }
      }
      if (conditions.length > 0) {
        this.#params.append('filter', conditions.join(','));
      }
    }
    return this;
  }

  /** One `name` parameter per order directive, written by `format`. */
  order(
    name: string,
    order: EntityOrderQuery | undefined,
    format: (directive: { field: string; order: 'asc' | 'desc' }) => string,
  ): this {
    const directives = order === undefined ? [] : [order].flat();
    return this.repeat(name, directives.map(format));
  }

  /** One `name` parameter per value. */
  repeat(name: string, values: string[]): this {
    for (const value of values) {
      this.#params.append(name, value);
    }
    return this;
  }

  /** The values joined by commas; nothing for an empty list. */
  list(name: string, values: string[] | undefined): this {
    if (values && values.length > 0) {
      this.#params.set(name, values.join(','));
    }
    return this;
  }

  /** The value as text; nothing for `undefined` or an empty string. */
  value(name: string, value: string | number | undefined): this {
    if (value !== undefined && value !== '') {
      this.#params.set(name, String(value));
    }
    return this;
  }

  /** `?` and the parameters, or nothing when there are none. */
  toSearch(): string {
    return this.#params.size > 0 ? `?${this.#params.toString()}` : '';
  }
}

/**
 * How to read a catalog response: `json` for its body, `optional` for its
 * body or `undefined` on 404 (lookups by id or ref, as catalog-client
 * does), `none` for routes that answer without a body.
 */
export type CatalogResponseKind = 'json' | 'optional' | 'none';

/**
 * Reads a catalog response as `kind` says.
 * @throws {@link @plinth/errors#ResponseError} for any status it does not accept.
 */
export async function readCatalogResponse<T>(
  response: Response,
  kind: 'json',
): Promise<T>;
export async function readCatalogResponse<T>(
  response: Response,
  kind: 'optional',
): Promise<T | undefined>;
export async function readCatalogResponse(
  response: Response,
  kind: 'none',
): Promise<void>;
export async function readCatalogResponse<T>(
  response: Response,
  kind: CatalogResponseKind,
): Promise<T | undefined> {
  if (kind === 'optional' && response.status === 404) {
    return undefined;
  }
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  return kind === 'none' ? undefined : ((await response.json()) as T);
}

const catalogPluginId = 'catalog';

/** One call of the catalog's REST API, on behalf of `credentials`. */
export interface CatalogRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: CatalogQuery;
  body?: unknown;
  credentials: BackstageCredentials;
}

/**
 * Sends a request to the catalog that `discovery` finds, with a plugin
 * request token for the caller's credentials.
 * @throws {@link @plinth/errors#ServiceUnavailableError} when the catalog
 *   cannot be reached.
 */
export async function sendCatalogRequest(
  discovery: DiscoveryService,
  auth: AuthService,
  request: CatalogRequest,
): Promise<Response> {
  const [baseUrl, { token }] = await Promise.all([
    discovery.getBaseUrl(catalogPluginId),
    auth.getPluginRequestToken({
      onBehalfOf: request.credentials,
      targetPluginId: catalogPluginId,
    }),
  ]);
  const url = `${baseUrl}${request.path}${request.query?.toSearch() ?? ''}`;
  const headers: Record<string, string> = {
    Authorization: `Bearer ${token}`,
  };
  if (request.body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  try {
    return await fetch(url, {
      method: request.method,
      headers,
      body:
        request.body === undefined ? undefined : JSON.stringify(request.body),
    });
  } catch (error) {
    throw new ServiceUnavailableError(
      `Could not reach the catalog at '${url}'; check that the catalog plugin runs and that discovery points at it.`,
      error,
    );
  }
}

/** `/<kind>/<namespace>/<name>`, each part escaped. */
export function toEntityPath(ref: string | CompoundEntityRef): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return [kind, namespace, name]
    .map(part => `/${encodeURIComponent(part)}`)
    .join('');
}
