import type {
  ActionsRegistryActionOptions,
  ActionsServiceAction,
} from '@plinth/backend-plugin-api/alpha';
import { describeValue } from '@plinth/errors';
import { z, type AnyZodObject } from 'zod/v3';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { RuntimeServiceError } from '../../errors';
import { toActionAttributes } from './readActionsConfig';

/** Registration options with the handler's types erased. */
export type AnyActionOptions = ActionsRegistryActionOptions<
  AnyZodObject,
  AnyZodObject,
  AnyZodObject | undefined
>;

/**
 * A registered action with its zod schemas built once, at registration;
 * the JSON Schemas of its listing when first read.
 */
export type RegisteredAction = {
  options: AnyActionOptions;
  input: AnyZodObject;
  output: AnyZodObject;
  secrets?: AnyZodObject;
  listed: ActionsServiceAction;
};

const namePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * Checks an action's registration options, reporting every problem in
 * one error, and builds its schemas and its listing once, so that a
 * mistake shows at startup rather than on the first call.
 *
 * @throws {@link RuntimeServiceError} `ACTIONS_REGISTRATION_INVALID`.
 */
export function buildRegisteredAction(
  pluginId: string,
  options: AnyActionOptions,
): RegisteredAction {
  const problems: string[] = [];
  if (typeof options !== 'object' || options === null) {
    throw new RuntimeServiceError(
      'ACTIONS_REGISTRATION_INVALID',
      `Cannot register an action of plugin '${pluginId}': register() got ${describeValue(options)}; pass { name, title, description, schema, action }.`,
    );
  }
  const { name, title, description, attributes } = options;
  const validName = typeof name === 'string' && namePattern.test(name);
  if (!validName) {
    problems.push(
      `its name must use only letters, digits, '-', '_' and '.', starting with a letter or digit, such as 'get-entity', got ${describeValue(name)}`,
    );
  }
  for (const [key, value] of Object.entries({ title, description })) {
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(
        `its ${key} must be a non-empty string, got ${describeValue(value)}`,
      );
    }
  }
  if (typeof options.action !== 'function') {
    problems.push(
      `its action must be a function, got ${describeValue(options.action)}`,
    );
  }
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (typeof value !== 'boolean') {
      problems.push(
        `its attribute '${key}' must be true or false, got ${describeValue(value)}`,
      );
    }
  }
  const visibility = describeVisibilityProblem(options.visibilityPermission);
  if (visibility) {
    problems.push(visibility);
  }
  const input = buildSchema(options.schema?.input, 'input', problems);
  const output = buildSchema(options.schema?.output, 'output', problems);
  const secrets =
    options.schema?.secrets === undefined
      ? undefined
      : buildSchema(options.schema.secrets, 'secrets', problems);
  const id = `${pluginId}:${validName ? name : String(name)}`;
  if (problems.length > 0 || !input || !output) {
    throw new RuntimeServiceError(
      'ACTIONS_REGISTRATION_INVALID',
      `Cannot register action '${id}' of plugin '${pluginId}':\n${problems.map(p => `  - ${p}`).join('\n')}`,
    );
  }
  let schema: ActionsServiceAction['schema'] | undefined;
  const listed: ActionsServiceAction = {
    id,
    pluginId: pluginId,
    name,
    title,
    description,
    attributes: toActionAttributes(attributes),
    ...(options.examples ? { examples: options.examples } : {}),
    // Described as JSON Schema when first listed: converting every
    // plugin's schemas at registration cost each start ~40 ms, for a
    // listing few starts serve.
    get schema() {
      return (schema ??= describeSchemas(input, output, secrets));
    },
  };
  return { options, input, output, secrets, listed };
}

function describeSchemas(
  input: AnyZodObject,
  output: AnyZodObject,
  secrets: AnyZodObject | undefined,
): ActionsServiceAction['schema'] {
  type JsonSchema = ActionsServiceAction['schema']['input'];
  return {
    input: zodToJsonSchema(input) as JsonSchema,
    output: zodToJsonSchema(output) as JsonSchema,
    ...(secrets ? { secrets: zodToJsonSchema(secrets) as JsonSchema } : {}),
  };
}

/**
 * Calls a schema callback with the registry's `z` and checks that it made
 * a zod object schema. The check reads zod's own type name rather than
 * `instanceof`, so a schema built with another copy of zod's v3 API is
 * recognised too.
 */
function buildSchema(
  callback: unknown,
  which: 'input' | 'output' | 'secrets',
  problems: string[],
): AnyZodObject | undefined {
  if (typeof callback !== 'function') {
    problems.push(
      `its schema.${which} must be a function that builds a zod object schema from the z it gets, such as z => z.object({}), got ${describeValue(callback)}`,
    );
    return undefined;
  }
  let schema: unknown;
  try {
    schema = (callback as (zod: typeof z) => unknown)(z);
  } catch (error) {
    problems.push(
      `its schema.${which} callback threw: ${String((error as Error)?.message ?? error)}`,
    );
    return undefined;
  }
  const typeName = (schema as { _def?: { typeName?: unknown } } | null)?._def
    ?.typeName;
  if (typeName !== 'ZodObject') {
    problems.push(
      `its schema.${which} callback must return z.object(...), got ${typeof typeName === 'string' ? `a ${typeName}` : describeValue(schema)}`,
    );
    return undefined;
  }
  return schema as AnyZodObject;
}

/**
 * What is wrong with a visibility permission, if anything: it must be a
 * basic permission, as a resource permission cannot be authorized without
 * a resource.
 */
function describeVisibilityProblem(permission: unknown): string | undefined {
  if (permission === undefined) {
    return undefined;
  }
  const { type, name, attributes } = (permission ?? {}) as {
    type?: unknown;
    name?: unknown;
    attributes?: unknown;
  };
  if (
    typeof permission === 'object' &&
    permission !== null &&
    type === 'basic' &&
    typeof name === 'string' &&
    name.trim() !== '' &&
    typeof attributes === 'object' &&
    attributes !== null
  ) {
    return undefined;
  }
  const got =
    type === 'resource' && typeof name === 'string'
      ? `the resource permission '${name}', which cannot be authorized without a resource`
      : describeValue(permission);
  return `its visibilityPermission must be a basic permission from createPermission({ name, attributes }) without a resourceType, got ${got}`;
}
