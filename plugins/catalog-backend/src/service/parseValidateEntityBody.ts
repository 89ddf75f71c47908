import {
  describeLocationRef,
  parseLocationRef,
  stringifyLocationRef,
  type Entity,
} from '@plinth/catalog-model';
import { InputError } from '@plinth/errors';
import type { Request } from 'express';
import { assertUrlTarget } from '../locations/checkLocationTarget';
import { describeInput, readJsonBody } from './readJsonBody';

const route = 'POST /validate-entity';

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
  const { entity, location } = readJsonBody(req, route, ['entity', 'location']);
  if (!isRecord(entity) || !isRecord(entity.metadata)) {
    throw new InputError(
      `Invalid request body for ${route}: 'entity' must be an entity object with a 'metadata' object, got ${describeInput(entity)}.`,
    );
  }
  if (
    entity.metadata.annotations !== undefined &&
    !isRecord(entity.metadata.annotations)
  ) {
    throw new InputError(
      `Invalid request body for ${route}: 'entity.metadata.annotations' must be an object, got ${describeInput(entity.metadata.annotations)}.`,
    );
  }
  if (typeof location !== 'string') {
    throw new InputError(
      `Invalid request body for ${route}: 'location' must be a location ref string such as 'url:https://example.com/catalog-info.yaml', got ${describeInput(location)}.`,
    );
  }
  const parsed = parseLocationRef(location);
  if (parsed.type !== 'url') {
    throw new InputError(
      `Invalid request body for ${route}: location '${describeLocationRef(parsed)}' has type '${parsed.type}', but only 'url' locations can be validated; write it as 'url:<address>'.`,
    );
  }
  // The location decides what the entity's placeholders read: an http(s)
  // URL without credentials, never a file.
  assertUrlTarget(parsed, `the body of ${route}`);
  return {
    entity: entity as unknown as Entity,
    locationRef: stringifyLocationRef(parsed),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
