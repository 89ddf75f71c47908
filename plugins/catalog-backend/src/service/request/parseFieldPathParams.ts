/*
 * The query parameters that name entity field paths: `fields`, `order`,
 * `orderField` and `facet`.
 */
import { InputError } from '@plinth/errors';
import { findEntityPathProblem, readStringListParam } from './queryParams';
import { overCap, type QueryLimits } from './readQueryLimits';
import type { EntityOrderField } from '../../entities/EntitiesCatalog';

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
