import type {
  ActionsRegistryActionOptions,
  ActionsRegistryService,
  ActionsServiceAction,
} from '@plinth/backend-plugin-api/alpha';
import type {
  BackstageCredentials,
  JsonObject,
  JsonValue,
  LoggerService,
  RootConfigService,
} from '@plinth/backend-plugin-api';
import {
  describeValue,
  formatFieldPath,
  InputError,
  NotFoundError,
} from '@plinth/errors';
import { z, type AnyZodObject, type ZodError } from 'zod/v3';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { RuntimeServiceError } from '../../errors';
import {
  readActionsConfig,
  toActionAttributes,
  type ActionsConfig,
} from './readActionsConfig';

/** The path prefix of the actions protocol on every plugin's router. */
export const actionsBasePath = '/.backstage/actions';

/**
 * Options for {@link DefaultActionsRegistryService.create}.
 *
 * @public
 */
export interface DefaultActionsRegistryServiceOptions {
  pluginId: string;
  logger: LoggerService;
  config: RootConfigService;
}

type AnyActionOptions = ActionsRegistryActionOptions<
  AnyZodObject,
  AnyZodObject,
  AnyZodObject | undefined
>;

/** A registered action with its schemas built once, at registration. */
type RegisteredAction = {
  options: AnyActionOptions;
  input: AnyZodObject;
  output: AnyZodObject;
  secrets?: AnyZodObject;
  listed: ActionsServiceAction;
};

const namePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * One plugin's actions: each checked when registered, with its schemas
 * built once; listed and invoked by the routes of
 * {@link createActionsRouter}, and directly by test doubles.
 *
 * @public
 */
export class DefaultActionsRegistryService implements ActionsRegistryService {
  readonly #pluginId: string;
  readonly #logger: LoggerService;
  readonly #config: ActionsConfig;
  readonly #actions = new Map<string, RegisteredAction>();

  /**
   * @example
   * ```ts
   * const registry = DefaultActionsRegistryService.create({ pluginId, logger, config });
   * httpRouter.use(createActionsRouter({ registry, httpAuth, auth }));
   * ```
   */
  static create(
    options: DefaultActionsRegistryServiceOptions,
  ): DefaultActionsRegistryService {
    return new DefaultActionsRegistryService(options);
  }

  private constructor(options: DefaultActionsRegistryServiceOptions) {
    this.#pluginId = options.pluginId;
    this.#logger = options.logger;
    this.#config = readActionsConfig(options.config);
  }

  /**
   * Adds an action under `<pluginId>:<name>`, building its schemas now so
   * that a mistake shows at startup rather than on the first call.
   *
   * @throws {@link RuntimeServiceError} `ACTIONS_REGISTRATION_INVALID`
   *   listing every problem of the options, or `ACTIONS_NAME_TAKEN`.
   */
  register<
    TInputSchema extends AnyZodObject,
    TOutputSchema extends AnyZodObject,
    TSecretsSchema extends AnyZodObject | undefined = undefined,
  >(
    options: ActionsRegistryActionOptions<
      TInputSchema,
      TOutputSchema,
      TSecretsSchema
    >,
  ): void {
    // The handler's types depend on the schemas; here they are erased, as
    // the schemas themselves check what goes in and out at run time.
    const action = this.#build(options as unknown as AnyActionOptions);
    if (this.#actions.has(action.listed.id)) {
      throw new RuntimeServiceError(
        'ACTIONS_NAME_TAKEN',
        `Cannot register action '${action.listed.id}': plugin '${this.#pluginId}' already registered an action named '${options.name}'. Give each action of a plugin its own name.`,
      );
    }
    this.#actions.set(action.listed.id, action);
  }

  /** The actions callers may see, as the list route answers them. */
  list(): ActionsServiceAction[] {
    return [...this.#actions.values()]
      .filter(action => this.#isServed(action))
      .map(action => action.listed);
  }

  /** Whether the plugin registered any action, served or not. */
  hasActions(): boolean {
    return this.#actions.size > 0;
  }

  /**
   * Runs an action: parses the input (and secrets) with its schemas, calls
   * the handler with the caller's credentials, and checks the output.
   *
   * @throws {@link @plinth/errors#NotFoundError} for an action this plugin
   *   does not serve; {@link @plinth/errors#InputError} naming every field
   *   the input or secrets get wrong; {@link RuntimeServiceError}
   *   `ACTIONS_OUTPUT_INVALID` when the handler breaks its output schema;
   *   whatever the handler throws.
   */
  async invoke(opts: {
    id: string;
    input?: unknown;
    secrets?: unknown;
    credentials: BackstageCredentials;
  }): Promise<{ output: JsonValue }> {
    const { id } = opts;
    const action = this.#actions.get(id);
    if (!action || !this.#isServed(action)) {
      throw new NotFoundError(
        `Action '${id}' not found in plugin '${this.#pluginId}'. GET ${actionsBasePath}/v1/actions lists the actions it serves.`,
      );
    }
    const input = action.input.safeParse(opts.input ?? {});
    if (!input.success) {
      throw new InputError(
        `Invalid input to action '${id}': ${describeZodIssues(input.error, 'the input')}. Send input that matches the action's input schema.`,
        input.error,
      );
    }
    const secrets = parseSecrets(id, action.secrets, opts.secrets);
    const result = await action.options.action({
      input: input.data,
      secrets,
      credentials: opts.credentials,
      logger: this.#logger.child({ action: id }),
    });
    const output = action.output.safeParse(
      (result as { output?: unknown } | undefined)?.output,
    );
    if (!output.success) {
      throw new RuntimeServiceError(
        'ACTIONS_OUTPUT_INVALID',
        `Action '${id}' returned output that does not match its output schema: ${describeZodIssues(output.error, 'the output')}. Fix the action's handler or its output schema.`,
        output.error,
      );
    }
    return { output: output.data as JsonValue };
  }

  /** Whether config lets callers see and invoke the action. */
  #isServed(action: RegisteredAction): boolean {
    const { pluginSources } = this.#config;
    if (pluginSources && !pluginSources.includes(this.#pluginId)) {
      return false;
    }
    return this.#config.isAllowed(action.listed);
  }

  #build(options: AnyActionOptions): RegisteredAction {
    const problems: string[] = [];
    if (typeof options !== 'object' || options === null) {
      throw new RuntimeServiceError(
        'ACTIONS_REGISTRATION_INVALID',
        `Cannot register an action of plugin '${this.#pluginId}': register() got ${describeValue(options)}; pass { name, title, description, schema, action }.`,
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
    const input = buildSchema(options.schema?.input, 'input', problems);
    const output = buildSchema(options.schema?.output, 'output', problems);
    const secrets =
      options.schema?.secrets === undefined
        ? undefined
        : buildSchema(options.schema.secrets, 'secrets', problems);
    const id = `${this.#pluginId}:${validName ? name : String(name)}`;
    if (problems.length > 0 || !input || !output) {
      throw new RuntimeServiceError(
        'ACTIONS_REGISTRATION_INVALID',
        `Cannot register action '${id}' of plugin '${this.#pluginId}':\n${problems.map(p => `  - ${p}`).join('\n')}`,
      );
    }
    const listed: ActionsServiceAction = {
      id,
      pluginId: this.#pluginId,
      name,
      title,
      description,
      attributes: toActionAttributes(attributes),
      ...(options.examples ? { examples: options.examples } : {}),
      schema: {
        input: zodToJsonSchema(
          input,
        ) as ActionsServiceAction['schema']['input'],
        output: zodToJsonSchema(
          output,
        ) as ActionsServiceAction['schema']['output'],
        ...(secrets
          ? {
              secrets: zodToJsonSchema(
                secrets,
              ) as ActionsServiceAction['schema']['input'],
            }
          : {}),
      },
    };
    return { options, input, output, secrets, listed };
  }
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

function parseSecrets(
  id: string,
  schema: AnyZodObject | undefined,
  raw: unknown,
): JsonObject | undefined {
  if (!schema) {
    if (raw !== undefined) {
      throw new InputError(
        `Action '${id}' does not accept secrets. Invoke it without them.`,
      );
    }
    return undefined;
  }
  if (raw === undefined) {
    throw new InputError(
      `Action '${id}' requires secrets but none were provided. Send them with the v2 invoke route as { input, secrets }.`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // The values are secret: name the fields and rules, never the values.
    throw new InputError(
      `Invalid secrets for action '${id}': ${describeZodIssues(parsed.error, 'the secrets')}. Send secrets that match the action's secrets schema.`,
    );
  }
  return parsed.data;
}

/**
 * Every issue of a zod error, one clause each, naming the field:
 * `'name': Required; 'count': Expected number, received string`.
 */
export function describeZodIssues(error: ZodError, whole: string): string {
  return error.issues
    .map(issue => {
      const where =
        issue.path.length === 0 ? whole : `'${formatFieldPath(issue.path)}'`;
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
