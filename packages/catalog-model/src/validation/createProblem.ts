import type { EntityValidationProblem } from './EntityValidationError';
import { formatFieldValue } from './formatFieldValue';

/**
 * A problem whose message reads `'<field>' <rule>, got <value>; <fix>`. The
 * value part is left out for a missing field, the fix when the rule already
 * says what to write.
 */
export function createProblem(
  field: string,
  value: unknown,
  rule: string,
  fix?: string,
): EntityValidationProblem {
  const got = value === undefined ? '' : `, got ${formatFieldValue(value)}`;
  const message = `'${field}' ${rule}${got}${fix ? `; ${fix}` : ''}`;
  return { field, value, message };
}
