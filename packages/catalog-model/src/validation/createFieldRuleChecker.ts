import { toError } from '@plinth/errors';
import type { EntityValidationProblem } from './EntityValidationError';
import type { FieldValidators } from './FieldValidators';
import { createProblem } from './createProblem';
import { defaultFieldValidators } from './defaultFieldValidators';

const PREFIXED_NAME =
  "'[<prefix>/]<name>', where the prefix is a DNS subdomain of at most 253 characters and the name 1-63 characters of [a-zA-Z0-9] separated by [-_.]";

/** What each default rule demands, for the problem message. */
const DEFAULT_RULES: Record<keyof FieldValidators, string> = {
  isValidApiVersion:
    "must be '[<prefix>/]<version>', where the prefix is a DNS subdomain and the version 1-63 characters of [a-zA-Z0-9], e.g. 'backstage.io/v1alpha1'",
  isValidKind:
    "must be 1-63 characters of [a-zA-Z0-9] starting with a letter, e.g. 'Component'",
  isValidEntityName:
    'must be 1-63 characters of [a-zA-Z0-9], separated by [-_.]',
  isValidNamespace: 'must be 1-63 characters of [a-z0-9], separated by [-]',
  isValidLabelKey: `is not a valid label key: it must be ${PREFIXED_NAME}`,
  isValidLabelValue:
    'must be empty or 1-63 characters of [a-zA-Z0-9], separated by [-_.]',
  isValidAnnotationKey: `is not a valid annotation key: it must be ${PREFIXED_NAME}`,
  isValidAnnotationValue: 'must be a string',
  isValidTag: 'must be 1-63 characters of [a-z0-9:+#], separated by [-]',
};

/**
 * Checks one field with one field rule; returns the problem, or `undefined`
 * when the value passes.
 */
export type FieldRuleChecker = (
  rule: keyof FieldValidators,
  field: string,
  value: unknown,
) => EntityValidationProblem | undefined;

/**
 * A checker for the default field rules with some replaced; a replaced
 * rule is described by its name, since only its author knows what it
 * demands.
 */
export function createFieldRuleChecker(
  overrides: Partial<FieldValidators> = {},
): FieldRuleChecker {
  const validators: FieldValidators = {
    ...defaultFieldValidators,
    ...overrides,
  };
  const rules = { ...DEFAULT_RULES };
  for (const key of Object.keys(overrides) as Array<keyof FieldValidators>) {
    if (overrides[key] !== undefined) {
      rules[key] = `is rejected by the custom '${key}' field validator`;
    }
  }
  return (rule, field, value) => {
    let valid: boolean;
    try {
      valid = validators[rule](value);
    } catch (error) {
      return createProblem(
        field,
        value,
        `could not be checked: the '${rule}' field validator threw "${toError(error).message}"`,
      );
    }
    return valid ? undefined : createProblem(field, value, rules[rule]);
  };
}
