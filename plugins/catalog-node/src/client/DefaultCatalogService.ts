import type { AuthService, DiscoveryService } from '@plinth/backend-plugin-api';
import {
  stringifyLocationRef,
  type CompoundEntityRef,
  type Entity,
} from '@plinth/catalog-model';
import { ResponseError, type SerializedError } from '@plinth/errors';
import type {
  AnalyzeLocationRequest,
  AnalyzeLocationResponse,
} from '../extensionPoints';
import {
  CatalogQuery,
  readCatalogResponse,
  sendCatalogRequest,
  toEntityPath,
  type CatalogRequest,
} from './catalogRequest';
import type {
  AddLocationRequest,
  AddLocationResponse,
  CatalogService,
  CatalogServiceRequestOptions,
  GetEntitiesByRefsRequest,
  GetEntitiesByRefsResponse,
  GetEntitiesRequest,
  GetEntitiesResponse,
  GetEntityAncestorsRequest,
  GetEntityAncestorsResponse,
  GetEntityFacetsRequest,
  GetEntityFacetsResponse,
  GetLocationsResponse,
  Location,
  QueryEntitiesRequest,
  QueryEntitiesResponse,
  StreamEntitiesRequest,
  ValidateEntityResponse,
} from './CatalogService';

/** Keeps each `POST /entities/by-refs` body well below the default 1 MB limit. */
const refsPerRequest = 1000;
const defaultStreamPageSize = 500;

/**
 * Options for {@link DefaultCatalogService.create}.
 *
 * @public
 */
export interface DefaultCatalogServiceOptions {
  /** Finds the catalog's base URL, `.../api/catalog`. */
  discovery: DiscoveryService;
  /** Issues the token each request carries on behalf of the caller. */
  auth: AuthService;
}

/**
 * The {@link CatalogService} that calls the catalog's REST API over HTTP
 * with a plugin request token for the caller's credentials, encoding
 * queries as `@backstage/catalog-client` does.
 *
 * @example
 * ```ts
 * const catalog = DefaultCatalogService.create({ discovery, auth });
 * const owner = await catalog.getEntityByRef('group:default/team-a', {
 *   credentials: await httpAuth.credentials(req),
 * });
 * ```
 * @public
 */
export class DefaultCatalogService implements CatalogService {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;

  private constructor(options: DefaultCatalogServiceOptions) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
  }

  /** Creates a client of the catalog that `discovery` finds. */
  static create(options: DefaultCatalogServiceOptions): DefaultCatalogService {
    return new DefaultCatalogService(options);
  }

  async getEntities(
    request: GetEntitiesRequest | undefined,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<GetEntitiesResponse> {
    const query = new CatalogQuery()
      .filter(request?.filter)
      .list('fields', request?.fields)
      .order('order', request?.order, d => `${d.order}:${d.field}`)
      .value('offset', request?.offset)
      .value('limit', request?.limit)
      .value('after', request?.after);
    const response = await this.#request({
      method: 'GET',
      path: '/entities',
      query,
      credentials,
    });
    return { items: await readCatalogResponse<Entity[]>(response, 'json') };
  }

  async getEntitiesByRefs(
    request: GetEntitiesByRefsRequest,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<GetEntitiesByRefsResponse> {
    const query = new CatalogQuery().filter(request.filter);
    const items: Array<Entity | undefined> = [];
    for (let i = 0; i < request.entityRefs.length; i += refsPerRequest) {
      const response = await this.#request({
        method: 'POST',
        path: '/entities/by-refs',
        query,
        body: {
          entityRefs: request.entityRefs.slice(i, i + refsPerRequest),
          ...(request.fields ? { fields: request.fields } : {}),
        },
        credentials,
      });
      const body = await readCatalogResponse<{ items: Array<Entity | null> }>(
        response,
        'json',
      );
      items.push(...body.items.map(item => item ?? undefined));
    }
    return { items };
  }

  async queryEntities(
    request: QueryEntitiesRequest | undefined,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<QueryEntitiesResponse> {
    const query = new CatalogQuery();
    if (request && 'cursor' in request) {
      query.value('cursor', request.cursor);
    } else {
      query
        .filter(request?.filter)
        .value('offset', request?.offset)
        .order('orderField', request?.orderFields, d => `${d.field},${d.order}`)
        .value('totalItems', request?.totalItems)
        .value('fullTextFilterTerm', request?.fullTextFilter?.term.trim())
        .list('fullTextFilterFields', request?.fullTextFilter?.fields);
    }
    query.value('limit', request?.limit).list('fields', request?.fields);
    const response = await this.#request({
      method: 'GET',
      path: '/entities/by-query',
      query,
      credentials,
    });
    return readCatalogResponse<QueryEntitiesResponse>(response, 'json');
  }

  async *streamEntities(
    request: StreamEntitiesRequest | undefined,
    options: CatalogServiceRequestOptions,
  ): AsyncIterable<Entity[]> {
    const { pageSize = defaultStreamPageSize, ...initial } = request ?? {};
    let page = await this.queryEntities(
      { ...initial, limit: pageSize },
      options,
    );
    for (;;) {
      if (page.items.length > 0) {
        yield page.items;
      }
      const cursor = page.pageInfo.nextCursor;
      if (!cursor) {
        return;
      }
      page = await this.queryEntities(
        { cursor, limit: pageSize, fields: initial.fields },
        options,
      );
    }
  }

  async getEntityAncestors(
    request: GetEntityAncestorsRequest,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<GetEntityAncestorsResponse> {
    const response = await this.#request({
      method: 'GET',
      path: `/entities/by-name${toEntityPath(request.entityRef)}/ancestry`,
      credentials,
    });
    return readCatalogResponse<GetEntityAncestorsResponse>(response, 'json');
  }

  async getEntityByRef(
    entityRef: string | CompoundEntityRef,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<Entity | undefined> {
    const response = await this.#request({
      method: 'GET',
      path: `/entities/by-name${toEntityPath(entityRef)}`,
      credentials,
    });
    return readCatalogResponse<Entity>(response, 'optional');
  }

  async removeEntityByUid(
    uid: string,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<void> {
    const response = await this.#request({
      method: 'DELETE',
      path: `/entities/by-uid/${encodeURIComponent(uid)}`,
      credentials,
    });
    await readCatalogResponse(response, 'none');
  }

  async refreshEntity(
    entityRef: string,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<void> {
    const response = await this.#request({
      method: 'POST',
      path: '/refresh',
      body: { entityRef },
      credentials,
    });
    await readCatalogResponse(response, 'none');
  }

  async getEntityFacets(
    request: GetEntityFacetsRequest,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<GetEntityFacetsResponse> {
    const query = new CatalogQuery()
      .repeat('facet', request.facets)
      .filter(request.filter);
    const response = await this.#request({
      method: 'GET',
      path: '/entity-facets',
      query,
      credentials,
    });
    return readCatalogResponse<GetEntityFacetsResponse>(response, 'json');
  }

  async getLocations(
    _request: Record<string, never> | undefined,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<GetLocationsResponse> {
    const response = await this.#request({
      method: 'GET',
      path: '/locations',
      credentials,
    });
    const body = await readCatalogResponse<Array<{ data: Location }>>(
      response,
      'json',
    );
    return { items: body.map(item => item.data) };
  }

  async getLocationById(
    id: string,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<Location | undefined> {
    const response = await this.#request({
      method: 'GET',
      path: `/locations/${encodeURIComponent(id)}`,
      credentials,
    });
    return readCatalogResponse<Location>(response, 'optional');
  }

  async getLocationByRef(
    locationRef: string,
    options: CatalogServiceRequestOptions,
  ): Promise<Location | undefined> {
    const { items } = await this.getLocations(undefined, options);
    return items.find(
      location => stringifyLocationRef(location) === locationRef,
    );
  }

  async addLocation(
    location: AddLocationRequest,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<AddLocationResponse> {
    const query = new CatalogQuery().value(
      'dryRun',
      location.dryRun ? 'true' : undefined,
    );
    const response = await this.#request({
      method: 'POST',
      path: '/locations',
      query,
      body: { type: location.type ?? 'url', target: location.target },
      credentials,
    });
    return readCatalogResponse<AddLocationResponse>(response, 'json');
  }

  async removeLocationById(
    id: string,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<void> {
    const response = await this.#request({
      method: 'DELETE',
      path: `/locations/${encodeURIComponent(id)}`,
      credentials,
    });
    await readCatalogResponse(response, 'none');
  }

  async getLocationByEntity(
    entityRef: string | CompoundEntityRef,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<Location | undefined> {
    const response = await this.#request({
      method: 'GET',
      path: `/locations/by-entity${toEntityPath(entityRef)}`,
      credentials,
    });
    return readCatalogResponse<Location>(response, 'optional');
  }

  async validateEntity(
    entity: Entity,
    locationRef: string,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<ValidateEntityResponse> {
    const response = await this.#request({
      method: 'POST',
      path: '/validate-entity',
      body: { entity, location: locationRef },
      credentials,
    });
    if (response.ok) {
      return { valid: true };
    }
    // An invalid entity is a 400 with `errors`; any other 400, such as a
    // malformed location ref, is a failed request.
    if (response.status === 400) {
      const body = (await response
        .clone()
        .json()
        .catch(() => undefined)) as { errors?: SerializedError[] } | undefined;
      if (Array.isArray(body?.errors)) {
        return { valid: false, errors: body.errors };
      }
    }
    throw await ResponseError.fromResponse(response);
  }

  async analyzeLocation(
    request: AnalyzeLocationRequest,
    { credentials }: CatalogServiceRequestOptions,
  ): Promise<AnalyzeLocationResponse> {
    const response = await this.#request({
      method: 'POST',
      path: '/analyze-location',
      body: request,
      credentials,
    });
    return readCatalogResponse<AnalyzeLocationResponse>(response, 'json');
  }

  #request(request: CatalogRequest): Promise<Response> {
    return sendCatalogRequest(this.#discovery, this.#auth, request);
  }
}
