import { toError } from '@plinth/errors';
import type { EntityValidationProblem } from '../errors';

/**
 * The rules for the single fields of an entity's envelope and metadata; each
 * returns whether a value is valid.
 *
 * @remarks
 * Replace some of them with `createEntityValidator({ fieldValidators })`,
 * e.g. to allow longer names.
 *
 * @public
 */
export interface FieldValidators {
  /** `apiVersion`: `<prefix>/<version>` or `<version>`. */
  isValidApiVersion(value: unknown): boolean;
  /** `kind`: a letter, then letters and digits. */
  isValidKind(value: unknown): boolean;
  /** `metadata.name`: letters and digits separated by `-`, `_` or `.`. */
  isValidEntityName(value: unknown): boolean;
  /** `metadata.namespace`: a DNS label. */
  isValidNamespace(value: unknown): boolean;
  /** A key of `metadata.labels`: `[<DNS subdomain>/]<name>`. */
  isValidLabelKey(value: unknown): boolean;
  /** A value of `metadata.labels`: empty, or a short name. */
  isValidLabelValue(value: unknown): boolean;
  /** A key of `metadata.annotations`: `[<DNS subdomain>/]<name>`. */
  isValidAnnotationKey(value: unknown): boolean;
  /** A value of `metadata.annotations`: any string. */
  isValidAnnotationValue(value: unknown): boolean;
  /** An element of `metadata.tags`: lowercase words joined by `-`. */
  isValidTag(value: unknown): boolean;
}

/**
 * The field rules of the Backstage descriptor format, which follow the
 * Kubernetes object rules.
 *
 * @public
 */
export const defaultFieldValidators: FieldValidators = Object.freeze({
  isValidApiVersion: (value: unknown) => isPrefixedName(value, isVersion),
  isValidKind: (value: unknown) =>
    isStringOfLength(value, 63) && KIND.test(value),
  isValidEntityName: isObjectName,
  isValidNamespace: isDnsLabel,
  isValidLabelKey: (value: unknown) => isPrefixedName(value, isObjectName),
  isValidLabelValue: (value: unknown) => value === '' || isObjectName(value),
  isValidAnnotationKey: (value: unknown) => isPrefixedName(value, isObjectName),
  isValidAnnotationValue: (value: unknown) => typeof value === 'string',
  isValidTag: (value: unknown) =>
    isStringOfLength(value, 63) && TAG.test(value),
});

// Compiled once: these run for every field of every entity the catalog
// processes.
const DNS_LABEL = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const OBJECT_NAME = /^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$/;
const VERSION = /^[a-zA-Z0-9]+$/;
const KIND = /^[a-zA-Z][a-zA-Z0-9]*$/;
const TAG = /^[a-z0-9:+#]+(?:-[a-z0-9:+#]+)*$/;

function isStringOfLength(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= max;
}

function isDnsLabel(value: unknown): boolean {
  return isStringOfLength(value, 63) && DNS_LABEL.test(value);
}

function isDnsSubdomain(value: string): boolean {
  return isStringOfLength(value, 253) && value.split('.').every(isDnsLabel);
}

function isObjectName(value: unknown): boolean {
  return isStringOfLength(value, 63) && OBJECT_NAME.test(value);
}

/** `<name>` or `<DNS subdomain>/<name>`, as Kubernetes writes label keys. */
function isPrefixedName(
  value: unknown,
  isValidName: (name: string) => boolean,
): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  const slash = value.indexOf('/');
  if (slash === -1) {
    return isValidName(value);
  }
  const name = value.slice(slash + 1);
  return (
    !name.includes('/') &&
    isDnsSubdomain(value.slice(0, slash)) &&
    isValidName(name)
  );
}

function isVersion(value: string): boolean {
  return isStringOfLength(value, 63) && VERSION.test(value);
}

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

/**
 * A value as a message may show it: by its type and shape, never its
 * content. Entities reach validation after placeholders were resolved, so a
 * field may hold the content of a file or a URL the caller could not read
 * otherwise; and whatever a message quotes ends up in responses and logs.
 */
export function describeFieldValue(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return value.length === 0
      ? 'an empty array'
      : `an array of ${count(value.length, 'item')}`;
  }
  switch (typeof value) {
    case 'string':
      return describeString(value);
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object': {
      const keys = Object.keys(value).length;
      return keys === 0
        ? 'an empty object'
        : `an object of ${count(keys, 'key')}`;
    }
    default:
      return `a ${typeof value}`;
  }
}

function describeString(text: string): string {
  if (text === '') {
    return 'an empty string';
  }
  const lines = text.split('\n').length;
  const shape = [
    lines > 1 ? `on ${count(lines, 'line')}` : '',
    text.trim() !== text ? 'with surrounding whitespace' : '',
  ].filter(Boolean);
  return `a string of ${count(text.length, 'character')}${shape.length > 0 ? ` ${shape.join(' ')}` : ''}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Whether a value is an object that is neither `null` nor an array. */
export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a value is a string with at least one character. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
