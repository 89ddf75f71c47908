import { InputError } from '@plinth/errors';
import type {
  EntityFullTextFilter,
  EntityPermissionFilter,
  QueryEntitiesCursor,
  QueryEntitiesRequest,
} from '../../entities/EntitiesCatalog';
import { parseEntityPredicate } from './parseEntityPredicate';
import { CursorReader } from './cursor';
import {
  findEntityPathProblem,
  readIntegerParam,
  readStringParam,
} from './queryParams';
import {
  parseEntityFieldsParams,
  parseEntityOrderFieldParams,
} from './parseFieldPathParams';
import { parseEntityFilterParams } from './parseEntityFilterParams';
import { overCap, type QueryLimits } from './readQueryLimits';

/** The longest value the search index holds; see `buildEntitySearch`. */
const maxTermLength = 200;

const cursorFix =
  "Pass the 'nextCursor' or 'prevCursor' of an earlier response as it is, or leave 'cursor' out to start over.";

/**
 * A predicate query as the client sent it, kept to be written into the
 * cursors of later pages, and as the criteria routes AND into the
 * permission filter.
 *
 * @internal
 */
export interface EntityPredicateQuery {
  source: unknown;
  criteria: EntityPermissionFilter;
}

/**
 * Parses the parameters of `GET /entities/by-query`. With a `cursor`,
 * only `limit` and `fields` are read besides it, since the cursor holds
 * the query (the other parameters are ignored, as Backstage documents),
 * including the predicate of `POST /entities/by-query`, which the client
 * may send back to either route; without one, `filter`, `orderField`,
 * `fullTextFilterTerm`, `fullTextFilterFields`, `offset` and `totalItems`
 * make the query.
 *
 * @throws InputError naming the parameter, the value and the expected form.
 * @internal
 */
export function parseQueryEntitiesParams(
  query: Record<string, unknown>,
  limits: QueryLimits,
): { request: QueryEntitiesRequest; predicate?: EntityPredicateQuery } {
  const fields = parseEntityFieldsParams(query, limits);
  const limit =
    readIntegerParam(query, 'limit', {
      min: 0,
      max: limits.maxLimit,
      maxSource: 'catalog.pagination.maxLimit',
    }) ?? limits.queryDefaultLimit;
  const page = { limit, ...(fields && { fields }) };
  const cursorText = readStringParam(query, 'cursor');
  if (cursorText !== undefined) {
    const reader = CursorReader.decode('cursor', cursorText, cursorFix, limits);
    const source = reader.optional('query');
    return {
      request: { ...page, query: { cursor: parseCursor(reader) } },
      ...(source !== undefined && {
        predicate: {
          source,
          criteria: parseEntityPredicate(
            source,
            "query in parameter 'cursor'",
            limits,
          ),
        },
      }),
    };
  }
  const filter = parseEntityFilterParams(query, limits);
  const fullTextFilter = parseFullTextFilter(query, limits);
  const offset = readIntegerParam(query, 'offset', { min: 0 });
  return {
    request: {
      ...page,
      query: {
        ...(filter && { filter }),
        orderFields: parseEntityOrderFieldParams(query, limits),
        ...(fullTextFilter && { fullTextFilter }),
        ...(offset !== undefined && { offset }),
        totalItems: parseTotalItems(query),
      },
    },
  };
}

function parseCursor(reader: CursorReader): QueryEntitiesCursor {
  const orderFields = reader.orderFields('orderFields');
  const filter = reader.filter('filter');
  const fullTextFilter = reader.fullTextFilter('fullTextFilter');
  return {
    ...(filter && { filter }),
    orderFields,
    ...(fullTextFilter && { fullTextFilter }),
    position: reader.position('position', orderFields.length),
    firstPosition: reader.position('firstPosition', orderFields.length),
    isPrevious: reader.boolean('isPrevious'),
    totalItems: reader.count('totalItems'),
  };
}

function parseFullTextFilter(
  query: Record<string, unknown>,
  limits: QueryLimits,
): EntityFullTextFilter | undefined {
  const term = readStringParam(query, 'fullTextFilterTerm')?.trim();
  if (term && term.length > maxTermLength) {
    throw new InputError(
      `Invalid query parameter 'fullTextFilterTerm': it is ${term.length} characters long, longer than any value the catalog indexes (${maxTermLength}), so it cannot match.`,
    );
  }
  const fields = readStringParam(query, 'fullTextFilterFields')
    ?.split(',')
    .map(field => field.trim())
    .filter(field => field !== '');
  if (fields && fields.length > limits.maxFullTextFields) {
    throw overCap(
      'fullTextFilterFields',
      fields.length,
      'full text fields',
      'maxFullTextFields',
      limits.maxFullTextFields,
    );
  }
  for (const field of fields ?? []) {
    const problem = findEntityPathProblem(field, false);
    if (problem) {
      throw new InputError(
        `Invalid query parameter 'fullTextFilterFields': ${problem}.`,
      );
    }
  }
  if (!term) {
    return undefined;
  }
  return fields && fields.length > 0 ? { term, fields } : { term };
}

function parseTotalItems(
  query: Record<string, unknown>,
): 'include' | 'exclude' {
  const value = readStringParam(query, 'totalItems') ?? 'include';
  if (value !== 'include' && value !== 'exclude') {
    throw new InputError(
      `Invalid query parameter 'totalItems': expected 'include' or 'exclude', got '${value}'.`,
    );
  }
  return value;
}
