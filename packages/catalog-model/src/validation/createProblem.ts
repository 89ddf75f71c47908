import type { EntityValidationProblem } from './EntityValidationError';
import { describeFieldValue } from './describeFieldValue';

/**
 * A problem whose message reads `'<field>' <rule>, got <what>; <fix>`,
 * where `<what>` describes the value by type and shape
 * ({@link describeFieldValue}). It is left out for a missing field, the fix
 * when the rule already says what to write.
 */
export function createProblem(
  field: string,
  value: unknown,
  rule: string,
  fix?: string,
): EntityValidationProblem {
  const got = value === undefined ? '' : `, got ${describeFieldValue(value)}`;
  const message = `'${field}' ${rule}${got}${fix ? `; ${fix}` : ''}`;
  return { field, message };
}
