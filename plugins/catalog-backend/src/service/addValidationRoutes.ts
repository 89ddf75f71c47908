import {
  RequestBodyTooLargeError,
  type AuditorService,
  type Config,
  type HttpAuthService,
} from '@plinth/backend-plugin-api';
import {
  catalogEntityReadPermission,
  catalogEntityValidatePermission,
} from '@plinth/plugin-catalog-node/alpha';
import express, { type RequestHandler, type Router } from 'express';
import type { EntitiesCatalog } from '../entities/EntitiesCatalog';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import type { CatalogProcessingOrchestrator } from '../processing/CatalogProcessingOrchestrator';
import { validateEntityBatch } from '../validation/validateEntityBatch';
import { auditRoute } from './auditRoute';
import {
  parseValidateEntitiesRequest,
  yamlMediaTypes,
} from './request/parseValidateEntitiesRequest';
import type { QueryLimits } from './request/readQueryLimits';

/**
 * Adds `POST /validate-entities`: validates a batch of entity documents,
 * sent as JSON or multi-document YAML, the way processing would, and
 * answers per document what storing the batch would do (created, changed
 * with a diff, unchanged, invalid with errors), plus what it would delete
 * when the batch stands for a location. Nothing is stored.
 *
 * @remarks
 * The caller needs `catalog.entity.validate`, as for
 * `POST /validate-entity`; what it learns of the catalog (served entities,
 * relation targets, deleted entities) is limited to what
 * `catalog.entity.read` lets it read. An answer with invalid documents is
 * still a 200: the documents are the result, not the request's failure.
 *
 * @internal
 */
export function addValidationRoutes(
  router: Router,
  options: {
    orchestrator: CatalogProcessingOrchestrator;
    entitiesCatalog: EntitiesCatalog;
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    guard: CatalogPermissionGuard;
    limits: QueryLimits;
    config: Config;
  },
): void {
  const { httpAuth, guard, limits, config } = options;
  const maxDepth = config.getOptionalNumber('backend.http.jsonBodyMaxDepth');
  router.post(
    '/validate-entities',
    createYamlBodyReader(config),
    auditRoute(
      options.auditor,
      () => ({ eventId: 'entity-validate', meta: { queryType: 'batch' } }),
      async (req, res, event) => {
        const credentials = await httpAuth.credentials(req);
        await guard.assertAllowed(
          catalogEntityValidatePermission,
          credentials,
          event,
        );
        const request = parseValidateEntitiesRequest(req, {
          maxDocuments: limits.maxValidateEntities,
          maxDepth: maxDepth ?? 64,
        });
        const result = await validateEntityBatch({
          request,
          orchestrator: options.orchestrator,
          entitiesCatalog: options.entitiesCatalog,
          maxEntityRefs: limits.maxEntityRefs,
          readFilter: await guard.entityFilter(
            catalogEntityReadPermission,
            credentials,
          ),
        });
        res.status(200).json(result);
        return { summary: result.summary };
      },
    ),
  );
}

/**
 * Reads a YAML body as text within the JSON body limit,
 * `backend.http.jsonBodyLimit` (1 MiB by default), inflating gzip,
 * deflate and br bodies up to it; bodies of other types pass untouched.
 */
function createYamlBodyReader(config: Config): RequestHandler {
  const limit = config.getOptional('backend.http.jsonBodyLimit') ?? '1mb';
  const read = express.text({
    type: yamlMediaTypes,
    limit: limit as string | number,
  });
  return (req, res, next) =>
    read(req, res, (error?: unknown) => {
      const { type, limit: bytes } = (error ?? {}) as {
        type?: unknown;
        limit?: unknown;
      };
      next(
        type === 'entity.too.large' && typeof bytes === 'number'
          ? new RequestBodyTooLargeError(bytes, error)
          : error,
      );
    });
}
