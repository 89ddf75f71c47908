import { InputError } from '@plinth/errors';
import type {
  EntityFullTextFilter,
  QueryEntitiesCursor,
  QueryEntitiesRequest,
} from '../entities/EntitiesCatalog';
import { CursorReader } from './CursorReader';
import { findEntityPathProblem } from './findEntityPathProblem';
import { parseEntityFieldsParams } from './parseEntityFieldsParams';
import { parseEntityFilterParams } from './parseEntityFilterParams';
import { parseEntityOrderFieldParams } from './parseEntityOrderFieldParams';
import type { PaginationLimits } from './readPaginationConfig';
import { readIntegerParam } from './readIntegerParam';
import { readStringParam } from './readStringParam';

const cursorFix =
  "Pass the 'nextCursor' or 'prevCursor' of an earlier response as it is, or leave 'cursor' out to start over.";

/**
 * Parses the parameters of `GET /entities/by-query`. With a `cursor`,
 * only `limit` and `fields` are read besides it, since the cursor holds
 * the query (the other parameters are ignored, as Backstage documents);
 * without one, `filter`, `orderField`, `fullTextFilterTerm`,
 * `fullTextFilterFields`, `offset` and `totalItems` make the query.
 *
 * @throws InputError naming the parameter, the value and the expected form.
 * @internal
 */
export function parseQueryEntitiesParams(
  query: Record<string, unknown>,
  limits: PaginationLimits,
): QueryEntitiesRequest {
  const fields = parseEntityFieldsParams(query);
  const limit =
    readIntegerParam(query, 'limit', {
      min: 0,
      max: limits.maxLimit,
      maxSource: 'catalog.pagination.maxLimit',
    }) ?? limits.queryDefaultLimit;
  const page = { limit, ...(fields && { fields }) };
  const cursorText = readStringParam(query, 'cursor');
  if (cursorText !== undefined) {
    return { ...page, query: { cursor: parseCursor(cursorText) } };
  }
  const filter = parseEntityFilterParams(query);
  const fullTextFilter = parseFullTextFilter(query);
  const offset = readIntegerParam(query, 'offset', { min: 0 });
  return {
    ...page,
    query: {
      ...(filter && { filter }),
      orderFields: parseEntityOrderFieldParams(query),
      ...(fullTextFilter && { fullTextFilter }),
      ...(offset !== undefined && { offset }),
      totalItems: parseTotalItems(query),
    },
  };
}

function parseCursor(text: string): QueryEntitiesCursor {
  const reader = CursorReader.decode('cursor', text, cursorFix);
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
): EntityFullTextFilter | undefined {
  const term = readStringParam(query, 'fullTextFilterTerm')?.trim();
  const fields = readStringParam(query, 'fullTextFilterFields')
    ?.split(',')
    .map(field => field.trim())
    .filter(field => field !== '');
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
