import type { ActionsRegistryService } from '@plinth/backend-plugin-api/alpha';
import { stringifyEntityRef, type Entity } from '@plinth/catalog-model';
import { ConflictError, InputError, toError } from '@plinth/errors';
import type { CatalogService } from '@plinth/plugin-catalog-node';
import { parse as parseYaml } from 'yaml';
import { toEntityFilter } from './toEntityFilter';

const readOnly = { destructive: false, readOnly: true, idempotent: true };

/**
 * Registers the catalog's actions under Backstage's names and schemas:
 * `get-catalog-entity`, `query-catalog-entities`, `validate-entity` and
 * `register-entity`. Each calls the catalog's own REST API with the
 * caller's credentials, so what a caller may do through an action is what
 * it may do over HTTP: a registered location is a `url`, checked as
 * `POST /locations` checks it, and validation reads `url` locations only.
 *
 * @internal
 */
export function createCatalogActions(options: {
  actionsRegistry: ActionsRegistryService;
  catalog: CatalogService;
}): void {
  const { actionsRegistry, catalog } = options;

  actionsRegistry.register({
    name: 'get-catalog-entity',
    title: 'Get Catalog Entity',
    attributes: readOnly,
    description:
      'Gets one entity of the software catalog by name, and by kind and namespace when they are known. An entity ref has the form "kind:namespace/name"; the default namespace is "default".',
    schema: {
      input: z =>
        z.object({
          kind: z
            .string()
            .describe('The kind of the entity, if known.')
            .optional(),
          namespace: z
            .string()
            .describe('The namespace of the entity, if known.')
            .optional(),
          name: z.string().describe('The name of the entity.'),
        }),
      output: z => z.object({}).passthrough(),
    },
    action: async ({ input, credentials }) => {
      const filter: Record<string, string> = { 'metadata.name': input.name };
      if (input.kind) {
        filter.kind = input.kind;
      }
      if (input.namespace) {
        filter['metadata.namespace'] = input.namespace;
      }
      const { items } = await catalog.queryEntities(
        { filter, limit: 20 },
        { credentials },
      );
      if (items.length === 0) {
        throw new InputError(`No entity found with name "${input.name}"`);
      }
      if (items.length > 1) {
        throw new ConflictError(
          `Multiple entities found with name "${input.name}", please provide more specific filters. Entities found: ${items.map(item => `"${stringifyEntityRef(item)}"`).join(', ')}`,
        );
      }
      return { output: items[0] };
    },
  });

  actionsRegistry.register({
    name: 'query-catalog-entities',
    title: 'Query Catalog Entities',
    attributes: readOnly,
    description: `Queries entities of the software catalog with a predicate query, such as { kind: "Component", "spec.type": "service" }.
Values match case-insensitively; { "$in": [...] } matches any of the values, { "$exists": true } any entity that has the field; "$all" of queries matches what all match, "$any" what one matches. Relations are queried as "relations.<type>", such as { "relations.ownedby": "group:default/team-a" }.
Limit the fields with fields: ["kind", "metadata.name"], order with orderFields: { field: "metadata.name", order: "asc" }, search with fullTextFilter: { term: "auth" }, and page with limit and the returned nextPageCursor.`,
    schema: {
      input: z =>
        z.object({
          query: z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              'Entity predicate query: field matching, $all, $any, $exists and $in.',
            ),
          fields: z
            .array(z.string())
            .optional()
            .describe('Dot separated paths of the fields to return.'),
          limit: z.coerce
            .number()
            .int()
            .positive()
            .optional()
            .describe('The most entities to return at a time.'),
          offset: z.coerce
            .number()
            .int()
            .min(0)
            .optional()
            .describe('How many entities to skip.'),
          orderFields: z
            .union([
              z.object({ field: z.string(), order: z.enum(['asc', 'desc']) }),
              z.array(
                z.object({ field: z.string(), order: z.enum(['asc', 'desc']) }),
              ),
            ])
            .optional()
            .describe('How to order the entities.'),
          fullTextFilter: z
            .object({
              term: z.string(),
              fields: z.array(z.string()).optional(),
            })
            .optional()
            .describe('Entities whose fields contain the term.'),
          cursor: z
            .string()
            .optional()
            .describe(
              'The nextPageCursor of an earlier response; it carries the query, and wins over offset.',
            ),
        }),
      output: z =>
        z.object({
          items: z.array(z.object({}).passthrough()),
          totalItems: z.number(),
          hasMoreEntities: z.boolean(),
          nextPageCursor: z.string().optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const { query, cursor, ...rest } = input;
      const response = await catalog.queryEntities(
        cursor
          ? { cursor, fields: rest.fields, limit: rest.limit }
          : {
              ...rest,
              ...(query && { filter: toEntityFilter(query) }),
            },
        { credentials },
      );
      return {
        output: {
          items: response.items,
          totalItems: response.totalItems,
          hasMoreEntities: Boolean(response.pageInfo.nextCursor),
          ...(response.pageInfo.nextCursor && {
            nextPageCursor: response.pageInfo.nextCursor,
          }),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'validate-entity',
    title: 'Validate Catalog Entity',
    attributes: readOnly,
    description:
      'Validates the content of a catalog-info.yaml file: that it is valid YAML, and that the entity passes the rules of the catalog.',
    schema: {
      input: z =>
        z.object({
          entity: z.string().describe('Entity YAML content to validate'),
          location: z
            .string()
            .url()
            .optional()
            .describe('Location to validate'),
        }),
      output: z =>
        z.object({
          isValid: z.boolean(),
          isValidYaml: z.boolean(),
          errors: z.array(z.string()),
          entity: z.record(z.string(), z.any()).optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      let entity: Entity;
      try {
        entity = parseYaml(input.entity) as Entity;
      } catch (error) {
        return {
          output: {
            isValid: false,
            isValidYaml: false,
            errors: [`YAML parsing error: ${toError(error).message}`],
          },
        };
      }
      // Validation reads url locations only; a location is a URL here.
      const location = `url:${input.location ?? 'https://localhost/entity-validator'}`;
      try {
        const result = await catalog.validateEntity(entity, location, {
          credentials,
        });
        return {
          output: result.valid
            ? { isValid: true, isValidYaml: true, errors: [], entity }
            : {
                isValid: false,
                isValidYaml: true,
                errors: result.errors.map(error => error.message),
              },
        };
      } catch (error) {
        return {
          output: {
            isValid: false,
            isValidYaml: false,
            errors: [`Validation error: ${toError(error).message}`],
          },
        };
      }
    },
  });

  actionsRegistry.register({
    name: 'register-entity',
    title: 'Register entity in the Catalog',
    attributes: { destructive: false, readOnly: false, idempotent: false },
    description:
      'Registers the entities of a remote catalog-info.yaml file in the catalog, by registering its URL as a location. Returns the id of the location, with which it can be deleted later with all its entities.',
    schema: {
      input: z =>
        z.object({
          locationUrl: z
            .string()
            .describe(
              'URL of the catalog-info.yaml file that describes the entities, such as https://github.com/backstage/demo/blob/master/catalog-info.yaml',
            ),
        }),
      output: z =>
        z.object({
          locationId: z.string().describe('The id of the registered location'),
        }),
    },
    action: async ({ input, credentials }) => {
      if (!URL.canParse(input.locationUrl)) {
        throw new InputError(`${input.locationUrl} is an invalid URL`);
      }
      const result = await catalog.addLocation(
        { type: 'url', target: input.locationUrl },
        { credentials },
      );
      return { output: { locationId: result.location.id } };
    },
  });
}
