import { InputError } from '@plinth/errors';
import type { EntityOrderField } from '../entities/EntitiesCatalog';
import { findEntityPathProblem } from './findEntityPathProblem';
import { overCap, type QueryLimits } from './readQueryLimits';
import { readStringListParam } from './readStringListParam';

/**
 * Parses the `order` parameters of `GET /entities`, each
 * `<asc|desc>:<field>` as in `?order=asc:metadata.name`; later ones break
 * ties of earlier ones; at most `catalog.queryLimits.maxOrderFields`, each
 * a join of its own.
 *
 * @throws InputError naming the value and the expected form.
 * @internal
 */
export function parseEntityOrderParams(
  query: Record<string, unknown>,
  limits: QueryLimits,
): EntityOrderField[] | undefined {
  const texts = readStringListParam(query, 'order');
  if (texts && texts.length > limits.maxOrderFields) {
    throw overCap(
      'order',
      texts.length,
      'order fields',
      'maxOrderFields',
      limits.maxOrderFields,
    );
  }
  return texts?.map(text => {
    const colon = text.indexOf(':');
    const order = text.slice(0, colon);
    const field = text.slice(colon + 1).trim();
    if (colon === -1 || (order !== 'asc' && order !== 'desc') || !field) {
      throw new InputError(
        `Invalid query parameter 'order': expected '<asc or desc>:<field>', as in 'asc:metadata.name', got '${text}'.`,
      );
    }
    const problem = findEntityPathProblem(field, false);
    if (problem) {
      throw new InputError(`Invalid query parameter 'order': ${problem}.`);
    }
    return { field, order };
  });
}
