import { InputError } from '@plinth/errors';
import type { EntityOrderField } from '../entities/EntitiesCatalog';
import { findEntityPathProblem } from './findEntityPathProblem';
import { overCap, type QueryLimits } from './readQueryLimits';
import { readStringListParam } from './readStringListParam';

/**
 * Parses the `orderField` parameters of `GET /entities/by-query`, each
 * `<field>[,<asc|desc>]` as in `?orderField=metadata.name,desc`; the order
 * defaults to ascending, and later fields break ties of earlier ones; at
 * most `catalog.queryLimits.maxOrderFields`, each a join of its own.
 *
 * @throws InputError naming the value and the expected form.
 * @internal
 */
export function parseEntityOrderFieldParams(
  query: Record<string, unknown>,
  limits: QueryLimits,
): EntityOrderField[] {
  const texts = readStringListParam(query, 'orderField') ?? [];
  if (texts.length > limits.maxOrderFields) {
    throw overCap(
      'orderField',
      texts.length,
      'order fields',
      'maxOrderFields',
      limits.maxOrderFields,
    );
  }
  return texts.map(text => {
    const [rawField, rawOrder = 'asc', ...rest] = text.split(',');
    const field = rawField.trim();
    const order = rawOrder.trim();
    if (!field || (order !== 'asc' && order !== 'desc') || rest.length > 0) {
      throw new InputError(
        `Invalid query parameter 'orderField': expected '<field>,<asc or desc>', as in 'metadata.name,asc', got '${text}'.`,
      );
    }
    const problem = findEntityPathProblem(field, false);
    if (problem) {
      throw new InputError(`Invalid query parameter 'orderField': ${problem}.`);
    }
    return { field, order };
  });
}
