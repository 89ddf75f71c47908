import type { PermissionRule } from './rules';

/**
 * The kinds of parameter schema a rule may carry: a Standard Schema with
 * JSON Schema support (zod 4), a zod 3 schema (rules written for
 * Backstage's older API), none, or something else, which cannot be used.
 *
 * @internal
 */
export type PermissionRuleParamsSchemaKind =
  'standard' | 'zod3' | 'none' | 'unusable';

/**
 * Which kind of parameter schema a rule carries, so the permissions
 * registry can refuse a rule it could not validate parameters for.
 *
 * @internal
 */
export function getPermissionRuleParamsSchemaKind(
  rule: PermissionRule<unknown, unknown, string>,
): PermissionRuleParamsSchemaKind {
  const schema: unknown = rule.paramsSchema;
  if (schema === undefined) {
    return 'none';
  }
  if (isStandardJsonSchema(schema)) {
    return 'standard';
  }
  return isZodV3(schema) ? 'zod3' : 'unusable';
}

/**
 * Checks parameters against a rule's schema, for the apply-conditions
 * route and condition transformers, which must refuse parameters a rule
 * does not accept before calling `apply` or `toQuery`.
 *
 * @returns the schema's complaints, joined with `; `, each prefixed with
 *   the path of the parameter, or `undefined` when they pass.
 * @internal
 */
export function findPermissionRuleParamsProblem(
  rule: PermissionRule<unknown, unknown, string>,
  params: unknown,
): string | undefined {
  const schema: unknown = rule.paramsSchema;
  if (isStandardJsonSchema(schema)) {
    const result = schema['~standard'].validate(params);
    if (result instanceof Promise) {
      return `the parameter schema of rule '${rule.name}' validates asynchronously, which permission rules do not support`;
    }
    return result.issues
      ? result.issues.map(issue => describeIssue(issue)).join('; ')
      : undefined;
  }
  if (isZodV3(schema)) {
    const result = schema.safeParse(params);
    if (!result.success) {
      const issues = (result.error as { issues?: Issue[] })?.issues ?? [];
      return issues.map(issue => describeIssue(issue)).join('; ');
    }
  }
  return undefined;
}

/** An issue as both Standard Schema and zod 3 report it. */
interface Issue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
}

function describeIssue(issue: Issue): string {
  const path = (issue.path ?? [])
    .map(segment =>
      typeof segment === 'object' ? String(segment.key) : String(segment),
    )
    .join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** A zod 3 schema, as rules written for Backstage's older API carry. */
interface ZodV3Schema {
  _def: unknown;
  safeParse(value: unknown): { success: boolean; error?: unknown };
}

interface StandardJsonSchema {
  '~standard': {
    validate(
      value: unknown,
    ): { issues?: ReadonlyArray<Issue> } | Promise<unknown>;
    jsonSchema: {
      input(options: { target: string }): Record<string, unknown>;
    };
  };
}

function isStandardJsonSchema(schema: unknown): schema is StandardJsonSchema {
  const standard = (schema as Partial<StandardJsonSchema> | undefined)?.[
    '~standard'
  ];
  return (
    typeof standard?.validate === 'function' &&
    typeof standard.jsonSchema?.input === 'function'
  );
}

function isZodV3(schema: unknown): schema is ZodV3Schema {
  return (
    typeof schema === 'object' &&
    schema !== null &&
    '_def' in schema &&
    typeof (schema as Partial<ZodV3Schema>).safeParse === 'function'
  );
}
