import {
  getPermissionRuleParamsSchemaKind,
  type PermissionRule,
} from '@plinth/plugin-permission-common';
import { z } from 'zod/v3';
import { zodToJsonSchema } from 'zod-to-json-schema';

/** A rule as plugins hand it over: its schema may be a zod 3 one too. */
export type RegisteredRule = PermissionRule<unknown, unknown, string>;

/**
 * Whether a rule's parameter schema is one the registry can validate with
 * and describe as JSON Schema: a Standard Schema with JSON Schema support
 * (zod 4), or a zod 3 schema, which Backstage still accepts.
 */
export function hasUsableParamsSchema(rule: RegisteredRule): boolean {
  return getPermissionRuleParamsSchemaKind(rule) !== 'unusable';
}

/** The JSON Schema (draft-07) of a rule's parameters, for the metadata route. */
export function toParamsJsonSchema(
  rule: RegisteredRule,
): Record<string, unknown> {
  const kind = getPermissionRuleParamsSchemaKind(rule);
  if (kind === 'standard') {
    const schema = rule.paramsSchema!;
    return schema['~standard'].jsonSchema.input({ target: 'draft-07' });
  }
  // A rule without parameters is described as Backstage describes it: an
  // object that allows no property.
  return zodToJsonSchema(
    kind === 'zod3' ? (rule.paramsSchema as never) : z.object({}),
  );
}
