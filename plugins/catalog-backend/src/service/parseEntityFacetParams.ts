import { InputError } from '@plinth/errors';
import { findEntityPathProblem } from './findEntityPathProblem';
import { overCap, type QueryLimits } from './readQueryLimits';
import { readStringListParam } from './readStringListParam';

/**
 * Parses the `facet` parameters of `GET /entity-facets`, dotted paths
 * such as `?facet=kind&facet=spec.type`; at least one is required.
 *
 * @throws InputError when none is given or one cannot name a field.
 * @internal
 */
export function parseEntityFacetParams(
  query: Record<string, unknown>,
  limits: QueryLimits,
): string[] {
  const facets = (readStringListParam(query, 'facet') ?? [])
    .map(facet => facet.trim())
    .filter(facet => facet !== '');
  if (facets.length === 0) {
    throw new InputError(
      `Missing query parameter 'facet': name at least one field to count values of, as in '?facet=kind&facet=spec.type'.`,
    );
  }
  if (facets.length > limits.maxFacets) {
    throw overCap(
      'facet',
      facets.length,
      'facets',
      'maxFacets',
      limits.maxFacets,
    );
  }
  for (const facet of facets) {
    const problem = findEntityPathProblem(facet, false);
    if (problem) {
      throw new InputError(`Invalid query parameter 'facet': ${problem}.`);
    }
  }
  return [...new Set(facets)];
}
