import { InputError } from '@plinth/errors';
import type {
  EntityOrderField,
  EntityPosition,
} from '../../entities/EntitiesCatalog';
import { CursorReader, digestOrder } from './cursor';
import type { QueryLimits } from './readQueryLimits';
import { readIntegerParam, readStringParam } from './queryParams';

const afterFix =
  'Follow the rel="next" link of an earlier response as it is, or leave \'after\' out to start over.';

/**
 * The paging of `GET /entities`.
 *
 * @internal
 */
export interface EntityPagination {
  /** Unset: every match, streamed in batches. */
  limit?: number;
  offset?: number;
  after?: EntityPosition;
}

/**
 * Parses `limit` (maximum from config; none asks for every match), `offset` and `after`,
 * the cursor of the `Link: rel="next"` header, which only fits the
 * `order` it was made with.
 *
 * @throws InputError naming the parameter, the value and the expected form.
 * @internal
 */
export function parseEntityPaginationParams(
  query: Record<string, unknown>,
  options: { order: EntityOrderField[]; limits: QueryLimits },
): EntityPagination {
  const { limits, order } = options;
  const limit = readIntegerParam(query, 'limit', {
    min: 1,
    max: limits.maxLimit,
    maxSource: 'catalog.pagination.maxLimit',
  });
  const offset = readIntegerParam(query, 'offset', { min: 0 });
  const afterText = readStringParam(query, 'after');
  if (afterText === undefined) {
    return {
      ...(limit !== undefined && { limit }),
      ...(offset !== undefined && { offset }),
    };
  }
  if (offset !== undefined) {
    throw new InputError(
      `Invalid query parameters: 'offset' and 'after' cannot be combined, as both say where the page starts. Pass one of them.`,
    );
  }
  const cursor = CursorReader.decode('after', afterText, afterFix, limits);
  if (cursor.string('order') !== digestOrder(order)) {
    throw new InputError(
      `Invalid query parameter 'after': it continues a listing in another 'order'. Keep 'order' as in the rel="next" link, or leave 'after' out to start over.`,
    );
  }
  return {
    ...(limit !== undefined && { limit }),
    after: cursor.position('position', order.length),
  };
}
