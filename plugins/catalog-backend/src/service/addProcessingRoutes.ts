import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  parseEntityRef,
  stringifyEntityRef,
  type JsonObject,
} from '@plinth/catalog-model';
import type {
  AuditorService,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import { InputError, isError } from '@plinth/errors';
import type { LocationAnalyzer } from '@plinth/plugin-catalog-node';
import {
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationAnalyzePermission,
} from '@plinth/plugin-catalog-node/alpha';
import type { Router } from 'express';
import type { EntitiesCatalog } from '../entities/EntitiesCatalog';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { createPermissionDeniedError } from '../permissions/createPermissionDeniedError';
import { auditRoute } from './auditRoute';
import type { LocationService } from '../locations/DefaultLocationService';
import type { CatalogProcessingOrchestrator } from '../processing/CatalogProcessingOrchestrator';
import type { RefreshService } from '../processing/RefreshService';
import {
  parseLocationInput,
  parseValidateEntityBody,
  describeInput,
  readJsonBody,
} from './request/requestBody';
import { readQueryParams, readStringParam } from './request/queryParams';
import { parseWaitParam } from './request/parseWaitParam';
import {
  waitAfterWrite,
  type ReadYourWritesContext,
} from '../readYourWrites/waitAfterWrite';

const none = new Set<string>();
const refreshParams = new Set(['wait']);

/**
 * A file name without directories, not hidden, of a YAML file: it is
 * joined to a location the caller chose, and must not lead anywhere else.
 */
const plainFileName = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}\.ya?ml$/;

/**
 * Adds the routes that drive processing on request: refresh an entity
 * (`catalog.entity.refresh`, whose conditions the entity must meet),
 * validate an entity without storing it (`catalog.entity.validate`),
 * analyze a location (`catalog.location.analyze`).
 *
 * @internal
 */
export function addProcessingRoutes(
  router: Router,
  options: {
    refreshService: RefreshService;
    orchestrator: CatalogProcessingOrchestrator;
    locationAnalyzer: LocationAnalyzer;
    locationService: LocationService;
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    guard: CatalogPermissionGuard;
    entitiesCatalog: EntitiesCatalog;
    readYourWrites: ReadYourWritesContext;
  },
): void {
  const {
    refreshService,
    orchestrator,
    locationAnalyzer,
    locationService,
    httpAuth,
    auditor,
    guard,
    entitiesCatalog,
  } = options;

  router.post(
    '/refresh',
    auditRoute(
      auditor,
      req => {
        const { entityRef } = (req.body ?? {}) as { entityRef?: unknown };
        return {
          eventId: 'entity-mutate',
          severityLevel: 'medium',
          meta: {
            queryType: 'refresh',
            ...(typeof entityRef === 'string' && { entityRef }),
          },
        };
      },
      async (req, res, event) => {
        const query = readQueryParams(req, refreshParams, 'POST /refresh');
        const { waiter } = options.readYourWrites;
        const waitMs = parseWaitParam(
          readStringParam(query, 'wait'),
          waiter.maxWaitMs,
        );
        const { entityRef } = readJsonBody(req, 'POST /refresh', ['entityRef']);
        if (typeof entityRef !== 'string') {
          throw new InputError(
            `Invalid request body for POST /refresh: 'entityRef' must be an entity ref string such as 'component:default/petstore', got ${describeInput(entityRef)}.`,
          );
        }
        const credentials = await httpAuth.credentials(req);
        const refreshFilter = await guard.entityFilterOrThrow(
          catalogEntityRefreshPermission,
          credentials,
          event,
        );
        if (
          refreshFilter &&
          (await entitiesCatalog.getEntityByRef(
            toFullRef(entityRef),
            refreshFilter,
          )) === undefined
        ) {
          throw createPermissionDeniedError({
            permission: catalogEntityRefreshPermission,
            credentials,
            target: `entity '${entityRef}'`,
          });
        }
        if (waitMs === undefined) {
          await refreshService.refresh({ entityRef });
          res.status(200).end();
          return;
        }
        await waitAfterWrite(req, res, options.readYourWrites, {
          waitMs,
          write: async () => {
            await refreshService.refresh({ entityRef });
            const ref = toFullRef(entityRef).toLowerCase();
            return {
              body: {},
              status: 200,
              affected: await waiter.affectedByRefresh(ref),
              statusPath: `/refresh/status?entityRef=${encodeURIComponent(ref)}`,
            };
          },
        });
      },
    ),
  );

  // Backstage's wire format: an invalid entity is a 400 whose body lists
  // the errors, which catalog-client reads; so failures are answered
  // here rather than thrown.
  router.post(
    '/validate-entity',
    auditRoute(
      auditor,
      () => ({ eventId: 'entity-validate' }),
      async (req, res, event) => {
        readQueryParams(req, none, 'POST /validate-entity');
        await guard.assertAllowed(
          catalogEntityValidatePermission,
          await httpAuth.credentials(req),
          event,
        );
        let input;
        try {
          input = parseValidateEntityBody(req);
        } catch (error) {
          if (error instanceof InputError) {
            await event.fail({ error });
            res.status(400).json({ errors: [toSerializedError(error)] });
            return;
          }
          throw error;
        }
        const { entity, locationRef } = input;
        const result = await orchestrator.process({
          entity: {
            ...entity,
            metadata: {
              ...entity.metadata,
              // The location the request names wins over annotations of the
              // entity: they decide what its placeholders may read.
              annotations: {
                ...entity.metadata.annotations,
                [ANNOTATION_LOCATION]: locationRef,
                [ANNOTATION_ORIGIN_LOCATION]: locationRef,
              },
            },
          },
          hideResolvedValues: true,
        });
        // As in Backstage, only a failed run makes the entity invalid; errors
        // of a successful run concern its output, such as refused children.
        if (!result.ok) {
          await event.fail({ error: result.errors[0] });
          res
            .status(400)
            .json({ errors: result.errors.map(toSerializedError) });
          return;
        }
        res.status(200).end();
      },
    ),
  );

  router.post(
    '/analyze-location',
    auditRoute(
      auditor,
      () => ({ eventId: 'location-analyze' }),
      async (req, res, event) => {
        readQueryParams(req, none, 'POST /analyze-location');
        await guard.assertAllowed(
          catalogLocationAnalyzePermission,
          await httpAuth.credentials(req),
          event,
        );
        const route = 'POST /analyze-location';
        const body = readJsonBody(req, route, ['location', 'catalogFilename']);
        const location = locationService.checkLocation(
          parseLocationInput(body.location, `the body of ${route}`),
        );
        const { catalogFilename } = body;
        if (
          catalogFilename !== undefined &&
          (typeof catalogFilename !== 'string' ||
            !plainFileName.test(catalogFilename) ||
            catalogFilename.toLowerCase().startsWith('app-config'))
        ) {
          throw new InputError(
            `Invalid request body for ${route}: 'catalogFilename' must be the plain name of a YAML file, such as 'catalog-info.yaml': letters, digits, '.', '_' and '-', not starting with '.' and not an app-config file, ending in '.yaml' or '.yml', got ${describeInput(catalogFilename)}.`,
          );
        }
        const output = await locationAnalyzer.analyzeLocation(
          {
            location,
            ...(catalogFilename !== undefined && { catalogFilename }),
          },
          await httpAuth.credentials(req),
        );
        res.status(200).json(output);
        return { output: JSON.parse(JSON.stringify(output)) as JsonObject };
      },
    ),
  );
}

/**
 * The full form of a ref that may leave out the default namespace; a
 * malformed one is left as it is, for the refresh service to refuse with
 * its own message.
 */
function toFullRef(entityRef: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(entityRef));
  } catch {
    return entityRef;
  }
}

/**
 * An error as JSON, the way Backstage's `serializeError` sends it to
 * clients: `name`, `message`, the error's own plain fields (such as the
 * `field` of an entity validation error) and the serialized `cause`.
 * Stacks stay on the server.
 */
function toSerializedError(error: unknown): JsonObject {
  if (!isError(error)) {
    return { name: 'Error', message: String(error) };
  }
  const serialized: JsonObject = {};
  for (const [key, value] of Object.entries(error)) {
    if (
      key !== 'stack' &&
      (typeof value === 'string' ||
        typeof value === 'number' ||
        typeof value === 'boolean')
    ) {
      serialized[key] = value;
    }
  }
  serialized.name = error.name;
  serialized.message = error.message;
  if (error.cause !== undefined) {
    serialized.cause = toSerializedError(error.cause);
  }
  return serialized;
}
