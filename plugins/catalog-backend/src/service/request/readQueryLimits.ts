import type { Config } from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import { readDurationMs } from '../../wiring/readCatalogEngineConfig';

/**
 * How much one request may ask of the catalog: page sizes
 * (`catalog.pagination`) and the caps on the parts of a query
 * (`catalog.queryLimits`), each of which a request over it is refused for
 * with a 400 naming the parameter and the limit.
 *
 * @internal
 */
export interface QueryLimits {
  /**
   * The most entities `GET /entities` without `limit` may answer with;
   * unset, it answers every match.
   */
  maxUnpagedEntities?: number;
  /** Entities read per batch while `GET /entities` streams every match. */
  streamBatchSize: number;
  /** The largest `limit` any route accepts. */
  maxLimit: number;
  /** The page size of `GET /entities/by-query` without `limit`. */
  queryDefaultLimit: number;
  /** Filter sets (`filter` parameters) of one request. */
  maxFilterSets: number;
  /** Conditions of all filter sets together, each value counting as one. */
  maxFilterConditions: number;
  /** Order fields (`order` or `orderField` parameters) of one request. */
  maxOrderFields: number;
  /** Field paths (`fields`) of one request. */
  maxFields: number;
  /** Full text fields (`fullTextFilterFields`) of one request. */
  maxFullTextFields: number;
  /** Facets (`facet` parameters) of one request. */
  maxFacets: number;
  /** Entity refs of one `POST /entities/by-refs`. */
  maxEntityRefs: number;
  /** Characters of a cursor (`cursor`, `after`) sent or handed out. */
  maxCursorLength: number;
  /** How deep the `$all`, `$any` and `$not` of a predicate nest. */
  maxPredicateDepth: number;
  /** Terms of a predicate: its objects, field conditions and `$in` values. */
  maxPredicateConditions: number;
  /** Entities one dry run of `POST /locations` may process. */
  maxDryRunEntities: number;
  /** Documents of one `POST /validate-entities`. */
  maxValidateEntities: number;
  /** How long one read query may run, on PostgreSQL. */
  statementTimeoutMs: number;
}

/** The default of each cap, by its key below `catalog.queryLimits`. */
const caps = {
  maxFilterSets: 50,
  maxFilterConditions: 200,
  maxOrderFields: 5,
  maxFields: 50,
  maxFullTextFields: 10,
  maxFacets: 50,
  maxEntityRefs: 1000,
  maxCursorLength: 8192,
  maxPredicateDepth: 8,
  maxPredicateConditions: 200,
  maxDryRunEntities: 1000,
  maxValidateEntities: 500,
} as const;

/** Enough to amortize a round trip, small enough to hold in memory at once. */
const streamBatchSize = 500;

/**
 * Reads `catalog.pagination.maxLimit` (default 10000) and
 * `maxUnpagedEntities` (unset), and the caps of `catalog.queryLimits`:
 * `maxFilterSets` 50, `maxFilterConditions` 200, `maxOrderFields` 5,
 * `maxFields` 50, `maxFullTextFields` 10, `maxFacets` 50,
 * `maxEntityRefs` 1000, `maxCursorLength` 8192, `maxPredicateDepth` 8,
 * `maxPredicateConditions` 200, `maxDryRunEntities` 1000,
 * `maxValidateEntities` 500, and
 * `statementTimeout` 10 seconds.
 *
 * @throws InputError when a value is not a positive integer, or when the
 *   removed `catalog.pagination.defaultLimit` is still set.
 * @internal
 */
export function readQueryLimits(config: Config): QueryLimits {
  // Refused rather than ignored: it used to cut `GET /entities` short, and
  // an operator who set it expects responses to stay bounded.
  if (config.has('catalog.pagination.defaultLimit')) {
    throw new InputError(
      "Invalid config at 'catalog.pagination.defaultLimit': the key was removed, since it cut 'GET /entities' without 'limit' short into a list that looked complete; that request now answers every match, streamed. Remove the key, and to bound such requests set 'catalog.pagination.maxUnpagedEntities', over which they answer 400 and tell the client to page.",
    );
  }
  const maxLimit = readPositiveInteger(
    config,
    'catalog.pagination.maxLimit',
    10000,
  );
  const maxUnpagedEntities = config.has('catalog.pagination.maxUnpagedEntities')
    ? readPositiveInteger(config, 'catalog.pagination.maxUnpagedEntities', 1)
    : undefined;
  const cap = (name: keyof typeof caps) =>
    readPositiveInteger(config, `catalog.queryLimits.${name}`, caps[name]);
  return {
    ...(maxUnpagedEntities !== undefined && { maxUnpagedEntities }),
    streamBatchSize,
    maxLimit,
    queryDefaultLimit: Math.min(20, maxLimit),
    maxFilterSets: cap('maxFilterSets'),
    maxFilterConditions: cap('maxFilterConditions'),
    maxOrderFields: cap('maxOrderFields'),
    maxFields: cap('maxFields'),
    maxFullTextFields: cap('maxFullTextFields'),
    maxFacets: cap('maxFacets'),
    maxEntityRefs: cap('maxEntityRefs'),
    maxCursorLength: cap('maxCursorLength'),
    maxPredicateDepth: cap('maxPredicateDepth'),
    maxPredicateConditions: cap('maxPredicateConditions'),
    maxDryRunEntities: cap('maxDryRunEntities'),
    maxValidateEntities: cap('maxValidateEntities'),
    statementTimeoutMs: readDurationMs(
      config,
      'catalog.queryLimits.statementTimeout',
      10_000,
    ),
  };
}

/**
 * The error for a request over one of the caps.
 *
 * @param what - what was counted, such as `order fields`.
 * @internal
 */
export function overCap(
  param: string,
  count: number,
  what: string,
  cap: keyof typeof caps,
  limit: number,
): InputError {
  return new InputError(
    `Invalid query parameter '${param}': ${count} ${what} given, more than the ${limit} that 'catalog.queryLimits.${cap}' allows. Ask for fewer, or split the request.`,
  );
}

function readPositiveInteger(
  config: Config,
  key: string,
  defaultValue: number,
): number {
  const value = config.getOptionalNumber(key) ?? defaultValue;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InputError(
      `Invalid config at '${key}': expected an integer of at least 1, got ${value}.`,
    );
  }
  return value;
}
