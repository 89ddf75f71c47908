import { InputError } from '@plinth/errors';
import { findEntityPathProblem } from './findEntityPathProblem';
import { overCap, type QueryLimits } from './readQueryLimits';
import { readStringListParam } from './readStringListParam';

/**
 * Parses `fields` parameters, comma-separated dotted paths such as
 * `?fields=kind,metadata.name`, plus any given in a request body, into the
 * list of paths to keep of each entity; `undefined` (whole entities) when
 * none is given, at most `catalog.queryLimits.maxFields`. Paths are exact:
 * `metadata.Name` is not `metadata.name`.
 *
 * @throws InputError naming the path and why it cannot select anything.
 * @internal
 */
export function parseEntityFieldsParams(
  query: Record<string, unknown>,
  limits: QueryLimits,
  bodyFields?: string[],
): string[] | undefined {
  const fields = [
    ...(readStringListParam(query, 'fields') ?? []),
    ...(bodyFields ?? []),
  ]
    .flatMap(text => text.split(','))
    .map(field => field.trim())
    .filter(field => field !== '');
  if (fields.length === 0) {
    return undefined;
  }
  if (fields.length > limits.maxFields) {
    throw overCap(
      'fields',
      fields.length,
      'field paths',
      'maxFields',
      limits.maxFields,
    );
  }
  for (const field of fields) {
    const problem = findEntityPathProblem(field, true);
    if (problem) {
      throw new InputError(`Invalid fields: ${problem}.`);
    }
  }
  return [...new Set(fields)];
}
