/*
 * Reading the request of `POST /validate-entities`: a JSON body
 * `{ entities, location? }`, or a multi-document YAML body, and the
 * optional `location` query parameter.
 */
import {
  describeLocationRef,
  parseLocationRef,
  type Entity,
} from '@plinth/catalog-model';
import { UnsupportedMediaTypeError } from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import type { LocationSpec } from '@plinth/plugin-catalog-node';
import type { Request } from 'express';
import { assertUrlTarget } from '../../locations/checkLocationTarget';
import { readQueryParams, readStringParam } from './queryParams';
import { findDeepYamlNesting } from './findDeepYamlNesting';
import { containsNul, nulProblem } from './nulCharacter';
import { readYamlDocuments } from './readYamlDocuments';
import { describeInput, parseLocationInput, readJsonBody } from './requestBody';

const route = 'POST /validate-entities';

/**
 * The media types of a YAML body; `application/yaml` is the registered
 * one (RFC 9512), the others are what tools still send.
 *
 * @internal
 */
export const yamlMediaTypes = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
];

/**
 * A problem of one document, at a field path (dotted, as ajv's
 * `instancePath` turned into the catalog's `spec.owner` form) when it has
 * one.
 *
 * @internal
 */
export interface ValidationIssue {
  message: string;
  path?: string;
}

/**
 * One document of the batch: the entity it holds, or the errors that
 * kept it from being one. `index` counts documents from 0 in the order
 * sent, leaving out empty YAML documents; `line` is where the content of
 * a YAML document starts.
 *
 * @internal
 */
export interface BatchDocument {
  index: number;
  line?: number;
  entity?: Entity;
  errors: ValidationIssue[];
}

/** What a validation request asks for. @internal */
export interface ValidateEntitiesRequest {
  documents: BatchDocument[];
  /** The location the batch stands for, when the caller named one. */
  location?: LocationSpec;
}

/**
 * Parses a request of `POST /validate-entities`.
 *
 * @param maxDocuments - `catalog.queryLimits.maxValidateEntities`.
 * @param maxDepth - how deep a YAML document may nest, as
 *   `backend.http.jsonBodyMaxDepth` bounds JSON bodies.
 * @throws InputError naming what is wrong with the body or the query;
 *   UnsupportedMediaTypeError for a body that is neither JSON nor YAML.
 * @internal
 */
export function parseValidateEntitiesRequest(
  req: Request,
  limits: { maxDocuments: number; maxDepth: number },
): ValidateEntitiesRequest {
  const query = readQueryParams(req, new Set(['location']), route);
  const queryLocation = readStringParam(query, 'location');
  let documents: BatchDocument[];
  let bodyLocation: LocationSpec | undefined;
  if (typeof req.body === 'string') {
    documents = parseYamlDocuments(req.body, limits);
  } else if (
    /^(?:application\/json|[^/]+\/[^/]+\+json)$/.test(mediaTypeOf(req))
  ) {
    const body = readJsonBody(req, route, ['entities', 'location']);
    documents = readJsonDocuments(body.entities, limits.maxDocuments);
    if (body.location !== undefined) {
      bodyLocation = parseLocationInput(body.location, `the body of ${route}`);
    }
  } else {
    throw new UnsupportedMediaTypeError(
      `Request body of ${route} rejected: Content-Type '${mediaTypeOf(req) || 'none'}' is neither JSON nor YAML. Send 'application/json' with { "entities": [...] }, or 'application/yaml' with one entity per YAML document.`,
    );
  }
  if (bodyLocation && queryLocation !== undefined) {
    throw new InputError(
      `Invalid request to ${route}: the location is given both in the body and in the query parameter 'location'. Give it once.`,
    );
  }
  const location =
    bodyLocation ??
    (queryLocation === undefined ? undefined : parseLocationRef(queryLocation));
  if (location) {
    assertValidatableLocation(location);
  }
  assertPlaceholderBudget(documents);
  return { documents, ...(location && { location }) };
}

/**
 * Placeholders one batch may hold. Each may be a read of a remote file
 * on the server's credentials: the processing pipeline allows 100 per
 * entity, which over a whole batch would make one request worth tens of
 * thousands of reads.
 */
const maxBatchPlaceholders = 1000;

function assertPlaceholderBudget(documents: readonly BatchDocument[]): void {
  let count = 0;
  const pending: unknown[] = documents.map(d => d.entity);
  while (pending.length > 0) {
    const next = pending.pop();
    if (Array.isArray(next)) {
      pending.push(...(next as unknown[]));
    } else if (isRecord(next)) {
      const keys = Object.keys(next);
      if (keys.length === 1 && keys[0].startsWith('$')) {
        count += 1;
      } else {
        pending.push(...Object.values(next));
      }
    }
  }
  if (count > maxBatchPlaceholders) {
    throw new InputError(
      `Invalid request body for ${route}: its documents hold ${count} placeholders, more than the ${maxBatchPlaceholders} one batch may hold, as each may read a file. Split the documents over several requests.`,
    );
  }
}

/** The `type/subtype` of the Content-Type header, lower case. */
function mediaTypeOf(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * As `POST /validate-entity`, the location decides what placeholders of
 * the documents read, so it is only ever an `http(s)` URL without
 * credentials, never a file of this server.
 */
function assertValidatableLocation(location: LocationSpec): void {
  if (location.type !== 'url') {
    throw new InputError(
      `Invalid location '${describeLocationRef(location)}' for ${route}: its type is '${location.type}', but only 'url' locations can be validated against; write it as 'url:<address>'.`,
    );
  }
  assertUrlTarget(location, `the request to ${route}`);
}

function readJsonDocuments(
  entities: unknown,
  maxDocuments: number,
): BatchDocument[] {
  if (!Array.isArray(entities)) {
    throw new InputError(
      `Invalid request body for ${route}: 'entities' must be a list of entity objects, got ${describeInput(entities)}.`,
    );
  }
  assertWithinCap(entities.length, maxDocuments);
  return entities.map((entity: unknown, index) =>
    isRecord(entity)
      ? { index, entity: entity as unknown as Entity, errors: [] }
      : {
          index,
          errors: [
            {
              message: `Document ${index} is not an entity object, got ${describeInput(entity)}.`,
            },
          ],
        },
  );
}

function parseYamlDocuments(
  text: string,
  limits: { maxDocuments: number; maxDepth: number },
): BatchDocument[] {
  const deepLine = findDeepYamlNesting(text, limits.maxDepth);
  if (deepLine !== undefined) {
    throw new InputError(
      `Invalid request body for ${route}: at line ${deepLine} the YAML nests collections more than ${limits.maxDepth} levels deep, more than 'backend.http.jsonBodyMaxDepth' allows. Send flatter documents.`,
    );
  }
  const documents = readYamlDocuments(text);
  assertWithinCap(documents.length, limits.maxDocuments);
  return documents.map((document, index) => {
    const { line } = document;
    const fail = (message: string) => ({ index, line, errors: [{ message }] });
    if ('syntaxError' in document) {
      const { syntaxError: error } = document;
      return fail(
        `YAML error in document ${index} at line ${error.line}, column ${error.col}: ${error.message}`,
      );
    }
    if ('readError' in document) {
      return fail(
        `YAML document ${index} cannot be read: ${document.readError}.`,
      );
    }
    const { value } = document;
    if (!isRecord(value)) {
      return fail(
        `Document ${index} is not an entity object, got ${Array.isArray(value) ? 'an array' : describeInput(value)}.`,
      );
    }
    if (exceedsDepth(value, limits.maxDepth)) {
      return fail(
        `Document ${index} nests objects and arrays more than ${limits.maxDepth} levels deep, more than 'backend.http.jsonBodyMaxDepth' allows. Send a flatter document.`,
      );
    }
    // JSON bodies meet this guard in the body parser; YAML's "\0" escape
    // is the way around it.
    if (containsNul(value)) {
      return fail(`Document ${index} ${nulProblem.replace(/^it /, '')}.`);
    }
    return { index, line, entity: value as unknown as Entity, errors: [] };
  });
}

function assertWithinCap(count: number, maxDocuments: number): void {
  if (count > maxDocuments) {
    throw new InputError(
      `Invalid request body for ${route}: it holds ${count} documents, more than the ${maxDocuments} that 'catalog.queryLimits.maxValidateEntities' allows. Split the documents over several requests.`,
    );
  }
}

/** Walks with its own stack, so a deep document cannot exhaust the call stack. */
function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [
    { value, depth: 0 },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) {
      continue;
    }
    if (next.depth === maxDepth) {
      return true;
    }
    for (const child of Object.values(next.value)) {
      pending.push({ value: child, depth: next.depth + 1 });
    }
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
