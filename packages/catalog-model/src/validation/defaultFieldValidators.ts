import type { FieldValidators } from './FieldValidators';

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
