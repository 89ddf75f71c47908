import type { ErrorObject } from 'ajv';
import type { EntityValidationProblem } from './EntityValidationError';
import { createProblem } from './createProblem';

const ARTICLES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/**
 * Turns the errors of a JSON schema validation into problems that name the
 * field as a dotted path (`spec.providesApis[0]`), the rule and the value.
 */
export function toSchemaProblems(
  errors: readonly ErrorObject[],
): EntityValidationProblem[] {
  return errors.map(error => {
    const path = toFieldPath(error.instancePath);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'required':
        return createProblem(
          joinField(path, String(params.missingProperty)),
          undefined,
          'is required',
        );
      case 'additionalProperties': {
        const property = String(params.additionalProperty);
        return createProblem(
          joinField(path, property),
          (error.data as Record<string, unknown>)[property],
          'is not a known field',
          'remove it, or move it where the kind schema allows it',
        );
      }
      default:
        return createProblem(path, error.data, describeRule(error, params));
    }
  });
}

function describeRule(
  error: ErrorObject,
  params: Record<string, unknown>,
): string {
  switch (error.keyword) {
    case 'type':
      return `must be ${String(params.type)
        .split(',')
        .map(type => ARTICLES[type] ?? type)
        .join(' or ')}`;
    case 'minLength':
      return params.limit === 1
        ? 'must be a non-empty string'
        : `must be at least ${String(params.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters long`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map(formatAllowed).join(', ')}`;
    case 'const':
      return `must be ${formatAllowed(params.allowedValue)}`;
    case 'pattern':
      return `must match the pattern '${String(params.pattern)}'`;
    case 'minItems':
      return `must have at least ${String(params.limit)} items`;
    case 'maxItems':
      return `must have at most ${String(params.limit)} items`;
    default:
      return error.message ?? `breaks the schema rule '${error.keyword}'`;
  }
}

function formatAllowed(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** `/spec/providesApis/0` becomes `spec.providesApis[0]`. */
function toFieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (path, segment) =>
        /^\d+$/.test(segment)
          ? `${path}[${segment}]`
          : joinField(path, segment),
      '',
    );
}

function joinField(path: string, property: string): string {
  return path === '' ? property : `${path}.${property}`;
}
