/*
 * Reading JSON request bodies, and the bodies of `POST /entities/by-refs`,
 * `POST /locations` and `POST /validate-entity`.
 */
import { InputError, quoteList } from '@plinth/errors';
import type { Request } from 'express';
import { containsNul, nulProblem } from './nulCharacter';
import type { QueryLimits } from './readQueryLimits';
import type { LocationSpec } from '@plinth/plugin-catalog-node';
import {
  describeLocationRef,
  parseLocationRef,
  stringifyLocationRef,
  type Entity,
} from '@plinth/catalog-model';
import { assertUrlTarget } from '../../locations/checkLocationTarget';

/**
 * The request's JSON object body, which the core body parser has read,
 * with only the given keys.
 *
 * @throws InputError when the body is missing, is not a JSON object, or
 *   has another key.
 * @internal
 */
export function readJsonBody(
  req: Request,
  route: string,
  knownKeys: readonly string[],
): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError(
      `Invalid request body for ${route}: expected a JSON object sent with Content-Type 'application/json', got ${describeBody(body)}.`,
    );
  }
  for (const key of Object.keys(body)) {
    if (!knownKeys.includes(key)) {
      throw new InputError(
        `Invalid request body for ${route}: unknown key '${key}'; the known ones are ${quoteList(knownKeys)}.`,
      );
    }
  }
  return body as Record<string, unknown>;
}

function describeBody(body: unknown): string {
  if (body === undefined) {
    return 'no body';
  }
  return Array.isArray(body) ? 'an array' : describeInput(body);
}

/** Longer caller input is cut in messages, which only need to identify it. */
const shownInputLength = 100;

/**
 * A value the caller sent, as JSON for a message, cut to 100 characters:
 * the caller knows it already, and an echo as large as the request would
 * only grow responses and logs.
 *
 * @internal
 */
export function describeInput(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > shownInputLength
    ? `${text.slice(0, shownInputLength)}...`
    : text;
}

const byRefsRoute = 'POST /entities/by-refs';

/**
 * Parses the body of `POST /entities/by-refs`,
 * `{ entityRefs: string[], fields?: string[], query?: predicate }`; the
 * predicate is left for the route to parse.
 *
 * @throws InputError naming the key and the expected form, or when there
 *   are more refs than `catalog.queryLimits.maxEntityRefs`.
 * @internal
 */
export function parseEntitiesByRefsBody(
  req: Request,
  limits: QueryLimits,
): { entityRefs: string[]; fields?: string[]; query?: unknown } {
  const body = readJsonBody(req, byRefsRoute, [
    'entityRefs',
    'fields',
    'query',
  ]);
  const { entityRefs, fields, query } = body;
  if (!isStringList(entityRefs)) {
    throw new InputError(
      `Invalid request body for ${byRefsRoute}: 'entityRefs' must be a list of entity ref strings, got ${describeInput(entityRefs)}.`,
    );
  }
  const withNul = entityRefs.findIndex(ref => containsNul(ref));
  if (withNul !== -1) {
    throw new InputError(
      `Invalid request body for ${byRefsRoute}: 'entityRefs[${withNul}]' ${nulProblem}.`,
    );
  }
  if (entityRefs.length > limits.maxEntityRefs) {
    throw new InputError(
      `Invalid request body for ${byRefsRoute}: 'entityRefs' has ${entityRefs.length} refs, more than the ${limits.maxEntityRefs} that 'catalog.queryLimits.maxEntityRefs' allows. Split the refs over several requests.`,
    );
  }
  if (fields !== undefined && !isStringList(fields)) {
    throw new InputError(
      `Invalid request body for ${byRefsRoute}: 'fields' must be a list of field path strings, got ${describeInput(fields)}.`,
    );
  }
  return {
    entityRefs,
    ...(fields !== undefined && { fields }),
    ...(query !== undefined && { query }),
  };
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(item => typeof item === 'string');
}

const knownKeys = ['type', 'target', 'presence'];

/**
 * Checks a location given in a request body, `{ type, target, presence? }`.
 * `where` names it in messages, such as `the body of POST /locations`.
 *
 * @throws InputError naming the key, the value and the expected form.
 * @internal
 */
export function parseLocationInput(
  value: unknown,
  where: string,
): LocationSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(
      `Invalid location in ${where}: expected an object like { "type": "url", "target": "https://..." }, got ${describeInput(value)}.`,
    );
  }
  const location = value as Record<string, unknown>;
  for (const key of Object.keys(location)) {
    if (!knownKeys.includes(key)) {
      throw new InputError(
        `Invalid location in ${where}: unknown key '${key}'; the known ones are 'type', 'target' and 'presence'.`,
      );
    }
  }
  const { type, target, presence } = location;
  for (const [key, item] of Object.entries({ type, target })) {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new InputError(
        `Invalid location in ${where}: '${key}' must be a non-empty string, got ${describeInput(item)}.`,
      );
    }
  }
  if (
    presence !== undefined &&
    presence !== 'optional' &&
    presence !== 'required'
  ) {
    throw new InputError(
      `Invalid location in ${where}: 'presence' must be 'optional' or 'required', got ${describeInput(presence)}.`,
    );
  }
  return {
    type: type as string,
    target: target as string,
    ...(presence !== undefined && { presence }),
  };
}

const validateRoute = 'POST /validate-entity';

/**
 * Parses the body of `POST /validate-entity`, `{ entity, location }`,
 * where `location` is a `url:` location ref, the only type Backstage
 * validates. Only the shape the annotations need is checked here; the
 * processing pipeline validates the rest.
 *
 * @throws InputError naming the key and the expected form.
 * @internal
 */
export function parseValidateEntityBody(req: Request): {
  entity: Entity;
  locationRef: string;
} {
  const { entity, location } = readJsonBody(req, validateRoute, [
    'entity',
    'location',
  ]);
  if (!isRecord(entity) || !isRecord(entity.metadata)) {
    throw new InputError(
      `Invalid request body for ${validateRoute}: 'entity' must be an entity object with a 'metadata' object, got ${describeInput(entity)}.`,
    );
  }
  if (
    entity.metadata.annotations !== undefined &&
    !isRecord(entity.metadata.annotations)
  ) {
    throw new InputError(
      `Invalid request body for ${validateRoute}: 'entity.metadata.annotations' must be an object, got ${describeInput(entity.metadata.annotations)}.`,
    );
  }
  if (typeof location !== 'string') {
    throw new InputError(
      `Invalid request body for ${validateRoute}: 'location' must be a location ref string such as 'url:https://example.com/catalog-info.yaml', got ${describeInput(location)}.`,
    );
  }
  const parsed = parseLocationRef(location);
  if (parsed.type !== 'url') {
    throw new InputError(
      `Invalid request body for ${validateRoute}: location '${describeLocationRef(parsed)}' has type '${parsed.type}', but only 'url' locations can be validated; write it as 'url:<address>'.`,
    );
  }
  // The location decides what the entity's placeholders read: an http(s)
  // URL without credentials, never a file.
  assertUrlTarget(parsed, `the body of ${validateRoute}`);
  return {
    entity: entity as unknown as Entity,
    locationRef: stringifyLocationRef(parsed),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
