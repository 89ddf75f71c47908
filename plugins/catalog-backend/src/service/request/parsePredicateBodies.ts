/*
 * The JSON bodies of the predicate routes `POST /entities/by-query` and
 * `POST /entity-facets`, as `@backstage/catalog-client` 1.16 sends them.
 */
import { InputError } from '@plinth/errors';
import type { Request } from 'express';
import type { QueryEntitiesRequest } from '../../entities/EntitiesCatalog';
import { parseEntityFacetParams } from './parseFieldPathParams';
import { parseEntityPredicate } from './parseEntityPredicate';
import {
  parseQueryEntitiesParams,
  type EntityPredicateQuery,
} from './parseQueryEntitiesParams';
import type { QueryLimits } from './readQueryLimits';
import { describeInput, readJsonBody } from './requestBody';

const byQueryRoute = 'POST /entities/by-query';
const facetsRoute = 'POST /entity-facets';

/**
 * Parses the body of `POST /entities/by-query`: `query` (a predicate),
 * `limit`, `offset`, `orderBy` (`[{ field, order }]`, or Backstage's
 * `orderField` strings), `fullTextFilter` (`{ term, fields? }`), `fields`
 * and `totalItems`; or `cursor` with `limit` and `fields`. Everything but
 * the predicate is read by the same parser, and checked against the same
 * caps, as the parameters of `GET /entities/by-query`.
 *
 * @throws InputError naming the key and the expected form.
 * @internal
 */
export function parseQueryEntitiesBody(
  req: Request,
  limits: QueryLimits,
): { request: QueryEntitiesRequest; predicate?: EntityPredicateQuery } {
  const body = readJsonBody(req, byQueryRoute, [
    'query',
    'cursor',
    'limit',
    'offset',
    'orderBy',
    'orderField',
    'fullTextFilter',
    'fields',
    'totalItems',
  ]);
  const params: Record<string, unknown> = {};
  for (const key of ['limit', 'offset'] as const) {
    const value = body[key];
    if (value !== undefined) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw invalid(byQueryRoute, key, 'a whole number', value);
      }
      params[key] = String(value);
    }
  }
  for (const key of ['cursor', 'totalItems'] as const) {
    if (body[key] !== undefined) {
      params[key] = readString(byQueryRoute, key, body[key]);
    }
  }
  if (body.fields !== undefined) {
    params.fields = readStringList(byQueryRoute, 'fields', body.fields);
  }
  if (body.orderField !== undefined) {
    params.orderField = readStringList(
      byQueryRoute,
      'orderField',
      body.orderField,
    );
  }
  if (body.orderBy !== undefined) {
    params.orderField = [
      ...((params.orderField as string[] | undefined) ?? []),
      ...readOrderBy(body.orderBy),
    ];
  }
  if (body.fullTextFilter !== undefined) {
    Object.assign(params, readFullTextFilter(body.fullTextFilter));
  }
  if (params.cursor !== undefined) {
    const extra = Object.keys(body).filter(
      key => !['cursor', 'limit', 'fields'].includes(key),
    );
    if (extra.length > 0) {
      throw new InputError(
        `Invalid request body for ${byQueryRoute}: '${extra[0]}' cannot be combined with 'cursor', which carries the whole query. Send only 'cursor', 'limit' and 'fields'.`,
      );
    }
    return parseQueryEntitiesParams(params, limits);
  }
  const { request } = parseQueryEntitiesParams(params, limits);
  if (body.query === undefined) {
    return { request };
  }
  const where = `'query' in the body of ${byQueryRoute}`;
  return {
    request,
    predicate: {
      source: body.query,
      criteria: parseEntityPredicate(body.query, where, limits),
    },
  };
}

/**
 * Parses the body of `POST /entity-facets`: `facets` (field paths, as
 * the `facet` parameters of `GET /entity-facets`) and an optional `query`
 * predicate.
 *
 * @throws InputError naming the key and the expected form.
 * @internal
 */
export function parseEntityFacetsBody(
  req: Request,
  limits: QueryLimits,
): { facets: string[]; predicate?: EntityPredicateQuery } {
  const body = readJsonBody(req, facetsRoute, ['facets', 'query']);
  if (
    body.facets === undefined ||
    (Array.isArray(body.facets) && body.facets.length === 0)
  ) {
    throw new InputError(
      `Invalid request body for ${facetsRoute}: 'facets' is missing or empty; name at least one field to count values of, as in { "facets": ["kind", "spec.type"] }.`,
    );
  }
  const facets = parseEntityFacetParams(
    { facet: readStringList(facetsRoute, 'facets', body.facets) },
    limits,
  );
  if (body.query === undefined) {
    return { facets };
  }
  const where = `'query' in the body of ${facetsRoute}`;
  return {
    facets,
    predicate: {
      source: body.query,
      criteria: parseEntityPredicate(body.query, where, limits),
    },
  };
}

/** `orderBy` entries as the `<field>,<order>` text `orderField` takes. */
function readOrderBy(value: unknown): string[] {
  const entries = Array.isArray(value) ? value : [value];
  return entries.map(entry => {
    const { field, order = 'asc' } = (entry ?? {}) as Record<string, unknown>;
    if (
      typeof entry !== 'object' ||
      typeof field !== 'string' ||
      (order !== 'asc' && order !== 'desc')
    ) {
      throw invalid(
        byQueryRoute,
        'orderBy',
        'a list of { "field": "<path>", "order": "asc" or "desc" }',
        entry,
      );
    }
    return `${field},${order}`;
  });
}

function readFullTextFilter(value: unknown): Record<string, unknown> {
  const { term, fields } = (value ?? {}) as Record<string, unknown>;
  if (
    typeof value !== 'object' ||
    Array.isArray(value) ||
    (term !== undefined && typeof term !== 'string')
  ) {
    throw invalid(
      byQueryRoute,
      'fullTextFilter',
      'an object { "term": "<text>", "fields": ["<path>"] }',
      value,
    );
  }
  return {
    ...(term !== undefined && { fullTextFilterTerm: term }),
    ...(fields !== undefined && {
      fullTextFilterFields: readStringList(
        byQueryRoute,
        'fullTextFilter.fields',
        fields,
      ).join(','),
    }),
  };
}

function readString(route: string, key: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw invalid(route, key, 'a string', value);
  }
  return value;
}

function readStringList(route: string, key: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every(item => typeof item === 'string')) {
    throw invalid(route, key, 'a list of strings', value);
  }
  return value;
}

function invalid(
  route: string,
  key: string,
  expected: string,
  value: unknown,
): InputError {
  return new InputError(
    `Invalid request body for ${route}: '${key}' must be ${expected}, got ${describeInput(value)}.`,
  );
}
