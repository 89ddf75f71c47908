import { InputError } from '@plinth/errors';
import type { Request } from 'express';
import { describeInput, readJsonBody } from './readJsonBody';
import type { QueryLimits } from './readQueryLimits';

const route = 'POST /entities/by-refs';

/**
 * Parses the body of `POST /entities/by-refs`,
 * `{ entityRefs: string[], fields?: string[] }`.
 *
 * @throws InputError naming the key and the expected form, or when there
 *   are more refs than `catalog.queryLimits.maxEntityRefs`.
 * @internal
 */
export function parseEntitiesByRefsBody(
  req: Request,
  limits: QueryLimits,
): { entityRefs: string[]; fields?: string[] } {
  const body = readJsonBody(req, route, ['entityRefs', 'fields']);
  const { entityRefs, fields } = body;
  if (!isStringList(entityRefs)) {
    throw new InputError(
      `Invalid request body for ${route}: 'entityRefs' must be a list of entity ref strings, got ${describeInput(entityRefs)}.`,
    );
  }
  if (entityRefs.length > limits.maxEntityRefs) {
    throw new InputError(
      `Invalid request body for ${route}: 'entityRefs' has ${entityRefs.length} refs, more than the ${limits.maxEntityRefs} that 'catalog.queryLimits.maxEntityRefs' allows. Split the refs over several requests.`,
    );
  }
  if (fields !== undefined && !isStringList(fields)) {
    throw new InputError(
      `Invalid request body for ${route}: 'fields' must be a list of field path strings, got ${describeInput(fields)}.`,
    );
  }
  return { entityRefs, ...(fields !== undefined && { fields }) };
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(item => typeof item === 'string');
}
