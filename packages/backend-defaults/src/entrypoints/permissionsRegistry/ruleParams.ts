import type { PermissionRule } from '@plinth/plugin-permission-common';
import { z } from 'zod/v3';
import { zodToJsonSchema } from 'zod-to-json-schema';

/** A rule as plugins hand it over: its schema may be a zod 3 one too. */
export type RegisteredRule = PermissionRule<unknown, unknown, string>;

/** A zod 3 schema, as rules written for Backstage's older API carry. */
interface ZodV3Schema {
  _def: unknown;
  safeParse(value: unknown): { success: boolean; error?: unknown };
}

/**
 * Whether a rule's parameter schema is one the registry can validate with
 * and describe as JSON Schema: a Standard Schema with JSON Schema support
 * (zod 4), or a zod 3 schema, which Backstage still accepts.
 */
export function hasUsableParamsSchema(rule: RegisteredRule): boolean {
  const schema: unknown = rule.paramsSchema;
  return (
    schema === undefined || isStandardJsonSchema(schema) || isZodV3(schema)
  );
}

/** The JSON Schema (draft-07) of a rule's parameters, for the metadata route. */
export function toParamsJsonSchema(
  rule: RegisteredRule,
): Record<string, unknown> {
  const schema: unknown = rule.paramsSchema;
  if (isStandardJsonSchema(schema)) {
    return schema['~standard'].jsonSchema.input({ target: 'draft-07' });
  }
  // A rule without parameters is described as Backstage describes it: an
  // object that allows no property.
  return zodToJsonSchema(isZodV3(schema) ? (schema as never) : z.object({}));
}

/**
 * Checks parameters against a rule's schema.
 *
 * @returns the schema's complaints, joined, or `undefined` when they pass.
 */
export function findParamsProblem(
  rule: RegisteredRule,
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
      const issues = (result.error as { issues?: ZodV3Issue[] })?.issues ?? [];
      return issues.map(issue => describeIssue(issue)).join('; ');
    }
  }
  return undefined;
}

interface ZodV3Issue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
}

function describeIssue(issue: ZodV3Issue): string {
  const path = (issue.path ?? [])
    .map(segment =>
      typeof segment === 'object' ? String(segment.key) : String(segment),
    )
    .join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

interface StandardJsonSchema {
  '~standard': {
    validate(
      value: unknown,
    ): { issues?: ReadonlyArray<ZodV3Issue> } | Promise<unknown>;
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
