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
  /** The page size of `GET /entities` without `limit`. */
  defaultLimit: number;
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
  maxDryRunEntities: 1000,
  maxValidateEntities: 500,
} as const;

/**
 * Reads `catalog.pagination.defaultLimit` (default 1000) and `maxLimit`
 * (default 10000), and the caps of `catalog.queryLimits`: `maxFilterSets`
 * 50, `maxFilterConditions` 200, `maxOrderFields` 5, `maxFields` 50,
 * `maxFullTextFields` 10, `maxFacets` 50, `maxEntityRefs` 1000,
 * `maxCursorLength` 8192, `maxDryRunEntities` 1000, `maxValidateEntities`
 * 500, and
 * `statementTimeout` 10 seconds.
 *
 * @throws InputError when a value is not a positive integer, or the default
 *   page size exceeds the maximum.
 * @internal
 */
export function readQueryLimits(config: Config): QueryLimits {
  const maxLimit = readPositiveInteger(
    config,
    'catalog.pagination.maxLimit',
    10000,
  );
  const defaultLimit = readPositiveInteger(
    config,
    'catalog.pagination.defaultLimit',
    Math.min(1000, maxLimit),
  );
  if (defaultLimit > maxLimit) {
    throw new InputError(
      `Invalid config at 'catalog.pagination.defaultLimit': ${defaultLimit} is above 'catalog.pagination.maxLimit' (${maxLimit}). Lower the default or raise the maximum.`,
    );
  }
  const cap = (name: keyof typeof caps) =>
    readPositiveInteger(config, `catalog.queryLimits.${name}`, caps[name]);
  return {
    defaultLimit,
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
