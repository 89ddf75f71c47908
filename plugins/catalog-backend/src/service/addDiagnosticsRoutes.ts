import type {
  AuditorService,
  Config,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@plinth/catalog-model';
import { InputError } from '@plinth/errors';
import {
  catalogDiagnosticsReadPermission,
  catalogEntityReadPermission,
} from '@plinth/plugin-catalog-node/alpha';
import type { Router } from 'express';
import type { Knex } from 'knex';
import { readDiagnostics } from '../database/readDiagnostics';
import { CursorReader, encodeCursor } from './request/cursor';
import type { QueryLimits } from './request/readQueryLimits';
import { readProcessingErrors } from '../database/processingErrors';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { readDurationMs } from '../wiring/readCatalogEngineConfig';
import { auditRoute } from './auditRoute';
import {
  readIntegerParam,
  readQueryParams,
  readStringParam,
} from './request/queryParams';

/** The settings of the diagnostics routes, from `catalog.diagnostics`. */
export interface DiagnosticsConfig {
  /** How long an entity may wait in a queue before it counts as stuck. */
  stuckAfterMs: number;
  /** The items of each list without `limit`. */
  defaultLimit: number;
  /** The largest `limit` accepted. */
  maxLimit: number;
}

const diagnosticsParams = new Set(['limit']);
const errorParams = new Set(['owner', 'location', 'kind', 'limit', 'after']);
/** Longer than any managed-by-location annotation worth matching. */
const maxLocationLength = 2048;
/** An entity kind: what `kind` compares with the first part of refs. */
const kindPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
/** A ref of at most 63 + 1 + 63 + 1 + 253 characters, with room to spare. */
const maxOwnerLength = 500;

/**
 * Adds the catalog's self-diagnosis: `GET /diagnostics`, which needs
 * `catalog.diagnostics.read` and reports queues, stuck entities, error
 * groups, orphans, fan-ins and conflicts; and `GET /processing-errors`,
 * the failing entities as a paged resource. Every entity either names or
 * counts is one the caller may read (`catalog.entity.read`).
 *
 * @throws InputError when `catalog.diagnostics` is invalid.
 * @internal
 */
export function addDiagnosticsRoutes(
  router: Router,
  options: {
    knex: Knex;
    config: Config;
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    guard: CatalogPermissionGuard;
    limits: QueryLimits;
  },
): void {
  const { knex, httpAuth, auditor, guard } = options;
  const settings = readDiagnosticsConfig(options.config);
  const readLimit = (query: Record<string, unknown>) =>
    readIntegerParam(query, 'limit', {
      min: 1,
      max: settings.maxLimit,
      maxSource: 'catalog.diagnostics.maxLimit',
    }) ?? settings.defaultLimit;

  router.get(
    '/diagnostics',
    auditRoute(
      auditor,
      () => ({ eventId: 'diagnostics-fetch', severityLevel: 'low' }),
      async (req, res, event) => {
        const query = readQueryParams(
          req,
          diagnosticsParams,
          'GET /diagnostics',
        );
        const limit = readLimit(query);
        const credentials = await httpAuth.credentials(req);
        await guard.assertAllowed(
          catalogDiagnosticsReadPermission,
          credentials,
          event,
        );
        const readFilter = await guard.entityFilter(
          catalogEntityReadPermission,
          credentials,
        );
        res.status(200).json(
          await readDiagnostics(knex, {
            readFilter,
            limit,
            stuckAfterMs: settings.stuckAfterMs,
          }),
        );
      },
    ),
  );

  router.get(
    '/processing-errors',
    auditRoute(
      auditor,
      () => ({ eventId: 'processing-errors-fetch', severityLevel: 'low' }),
      async (req, res, event) => {
        const query = readQueryParams(
          req,
          errorParams,
          'GET /processing-errors',
        );
        const request = {
          owner: readOwner(query),
          location: readLocation(query),
          kind: readKind(query),
          after: readCursor(query, options.limits),
          limit: readLimit(query),
        };
        const readFilter = await guard.entityFilter(
          catalogEntityReadPermission,
          await httpAuth.credentials(req),
          event,
        );
        const page = await readProcessingErrors(knex, {
          ...request,
          readFilter,
        });
        const last = page.items[page.items.length - 1];
        res.status(200).json({
          items: page.items,
          pageInfo:
            page.more && last
              ? { nextCursor: encodeCursor({ after: last.entityRef }) }
              : {},
        });
      },
    ),
  );
}

/**
 * Reads `catalog.diagnostics`: `stuckAfter` (a duration, default 5
 * minutes, three times the default processing interval), `defaultLimit`
 * (20) and `maxLimit` (100).
 *
 * @throws InputError naming the key, what was expected and the value.
 * @internal
 */
export function readDiagnosticsConfig(config: Config): DiagnosticsConfig {
  const maxLimit = readLimitConfig(config, 'catalog.diagnostics.maxLimit', 100);
  const defaultLimit = readLimitConfig(
    config,
    'catalog.diagnostics.defaultLimit',
    Math.min(20, maxLimit),
  );
  if (defaultLimit > maxLimit) {
    throw new InputError(
      `Invalid config at 'catalog.diagnostics.defaultLimit': ${defaultLimit} is above 'catalog.diagnostics.maxLimit' (${maxLimit}). Lower the default or raise the maximum.`,
    );
  }
  return {
    stuckAfterMs: readDurationMs(
      config,
      'catalog.diagnostics.stuckAfter',
      300_000,
    ),
    defaultLimit,
    maxLimit,
  };
}

function readLimitConfig(
  config: Config,
  key: string,
  fallback: number,
): number {
  const value = config.getOptional(key) ?? fallback;
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < 1 ||
    value > 1000
  ) {
    throw new InputError(
      `Invalid config at '${key}': expected an integer from 1 to 1000, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** `owner` as the lowercased full ref the `ownedBy` relation would name. */
function readOwner(query: Record<string, unknown>): string | undefined {
  const text = readStringParam(query, 'owner');
  if (text === undefined) {
    return undefined;
  }
  if (text.length > maxOwnerLength) {
    throw new InputError(
      `Invalid query parameter 'owner': it is ${text.length} characters long, more than the ${maxOwnerLength} of any entity ref.`,
    );
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(text, { defaultKind: 'group' }),
    ).toLowerCase();
  } catch (error) {
    throw new InputError(
      `Invalid query parameter 'owner' ('${text.slice(0, 100)}'): expected an entity ref such as 'group:default/team-a'.`,
      error,
    );
  }
}

function readLocation(query: Record<string, unknown>): string | undefined {
  const text = readStringParam(query, 'location');
  if (
    text !== undefined &&
    (text.length === 0 || text.length > maxLocationLength)
  ) {
    throw new InputError(
      `Invalid query parameter 'location': expected a location such as 'url:https://example.com/catalog-info.yaml' of 1 to ${maxLocationLength} characters, got ${text.length}.`,
    );
  }
  return text;
}

function readKind(query: Record<string, unknown>): string | undefined {
  const text = readStringParam(query, 'kind');
  if (text !== undefined && !kindPattern.test(text)) {
    throw new InputError(
      `Invalid query parameter 'kind' ('${text.slice(0, 100)}'): expected an entity kind such as 'Component': letters, digits, '_', '.' and '-', at most 63 characters.`,
    );
  }
  return text?.toLowerCase();
}

const cursorFix =
  "Pass the 'pageInfo.nextCursor' of the previous page as it was given.";

/** The ref the previous page ended at, from the `after` cursor it gave. */
function readCursor(
  query: Record<string, unknown>,
  limits: QueryLimits,
): string | undefined {
  const text = readStringParam(query, 'after');
  if (text === undefined) {
    return undefined;
  }
  const after = CursorReader.decode('after', text, cursorFix, limits).string(
    'after',
  );
  if (after.length === 0) {
    throw new InputError(
      `Invalid query parameter 'after': its 'after' is empty. ${cursorFix}`,
    );
  }
  return after;
}
