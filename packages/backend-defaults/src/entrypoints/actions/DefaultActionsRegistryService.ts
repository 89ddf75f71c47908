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
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
} from '@plinth/backend-plugin-api';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@plinth/plugin-permission-common';
import { formatFieldPath, InputError, NotFoundError } from '@plinth/errors';
import type { AnyZodObject, ZodError } from 'zod/v3';
import { RuntimeServiceError } from '../../errors';
import { readActionsConfig, type ActionsConfig } from './readActionsConfig';
import {
  buildRegisteredAction,
  type AnyActionOptions,
  type RegisteredAction,
} from './buildRegisteredAction';

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
  /**
   * Authorizes callers for the actions' visibility permissions. Without it
   * they are not checked, as when `permission.enabled` is off: only test
   * doubles leave it out; the service factory passes the plugin's
   * `coreServices.permissions`.
   */
  permissions?: PermissionsService;
  /**
   * Where the actions' visibility permissions are added, so that the
   * plugin's permission metadata lists them for policy authors.
   */
  permissionsRegistry?: PermissionsRegistryService;
}

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
  readonly #permissions?: PermissionsService;
  readonly #permissionsRegistry?: PermissionsRegistryService;
  readonly #actions = new Map<string, RegisteredAction>();

  /**
   * @example
   * ```ts
   * const registry = DefaultActionsRegistryService.create({
   *   pluginId, logger, config, permissions, permissionsRegistry,
   * });
   * httpRouter.use(createActionsRouter({ registry, httpAuth, auth, config }));
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
    this.#permissions = options.permissions;
    this.#permissionsRegistry = options.permissionsRegistry;
  }

  /**
   * Adds an action under `<pluginId>:<name>`, building its schemas now so
   * that a mistake shows at startup rather than on the first call, and
   * adds its visibility permission to the plugin's permissions registry.
   *
   * @throws {@link RuntimeServiceError} `ACTIONS_REGISTRATION_INVALID`
   *   listing every problem of the options, or `ACTIONS_NAME_TAKEN`;
   *   {@link @plinth/errors#InputError} from the permissions registry for
   *   an action with a visibility permission registered after the plugin
   *   started.
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
    const action = buildRegisteredAction(
      this.#pluginId,
      options as unknown as AnyActionOptions,
    );
    if (this.#actions.has(action.listed.id)) {
      throw new RuntimeServiceError(
        'ACTIONS_NAME_TAKEN',
        `Cannot register action '${action.listed.id}': plugin '${this.#pluginId}' already registered an action named '${options.name}'. Give each action of a plugin its own name.`,
      );
    }
    // Added before the action, so that an action whose permission the
    // registry refuses is not served unprotected.
    if (action.options.visibilityPermission) {
      this.#permissionsRegistry?.addPermissions([
        action.options.visibilityPermission,
      ]);
    }
    this.#actions.set(action.listed.id, action);
  }

  /**
   * The actions config serves, without checking visibility permissions:
   * what the list route answers a caller who is allowed everything.
   */
  list(): ActionsServiceAction[] {
    return this.#servedActions().map(action => action.listed);
  }

  /**
   * The actions the caller may see, as the list route answers them: those
   * config serves, less those whose visibility permission the caller is
   * denied, asked in one batch.
   */
  async listVisibleTo(
    credentials: BackstageCredentials,
  ): Promise<ActionsServiceAction[]> {
    const served = this.#servedActions();
    const denied = await this.#deniedPermissions(
      served.map(action => action.options.visibilityPermission),
      credentials,
    );
    return served
      .filter(action => !isDenied(action, denied))
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
   *   does not serve, or whose visibility permission the caller is
   *   denied (the same answer, as on Backstage, so that the existence of
   *   a hidden action is not disclosed); {@link @plinth/errors#InputError}
   *   naming every field the input or secrets get wrong;
   *   {@link RuntimeServiceError} `ACTIONS_OUTPUT_INVALID` when the
   *   handler breaks its output schema; whatever the handler throws.
   */
  async invoke(opts: {
    id: string;
    input?: unknown;
    secrets?: unknown;
    credentials: BackstageCredentials;
  }): Promise<{ output: JsonValue }> {
    const { id } = opts;
    const action = this.#actions.get(id);
    if (!action || !(await this.#isVisibleTo(action, opts.credentials))) {
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

  /** Whether config serves the action and the caller may see it. */
  async #isVisibleTo(
    action: RegisteredAction,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    if (!this.#isServed(action)) {
      return false;
    }
    const denied = await this.#deniedPermissions(
      [action.options.visibilityPermission],
      credentials,
    );
    return !isDenied(action, denied);
  }

  #servedActions(): RegisteredAction[] {
    return [...this.#actions.values()].filter(action => this.#isServed(action));
  }

  /**
   * The names of the permissions the caller is denied, asking about each
   * distinct permission once; none without a permissions service.
   */
  async #deniedPermissions(
    permissions: Array<BasicPermission | undefined>,
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const distinct = new Map<string, BasicPermission>();
    for (const permission of permissions) {
      if (permission) {
        distinct.set(permission.name, permission);
      }
    }
    if (!this.#permissions || distinct.size === 0) {
      return new Set();
    }
    const asked = [...distinct.values()];
    const decisions = await this.#permissions.authorize(
      asked.map(permission => ({ permission })),
      { credentials },
    );
    // Anything but an explicit ALLOW hides the action, a missing answer too.
    return new Set(
      asked
        .filter((_, i) => decisions[i]?.result !== AuthorizeResult.ALLOW)
        .map(permission => permission.name),
    );
  }

  /** Whether config lets callers see and invoke the action. */
  #isServed(action: RegisteredAction): boolean {
    const { pluginSources } = this.#config;
    if (pluginSources && !pluginSources.includes(this.#pluginId)) {
      return false;
    }
    return this.#config.isAllowed(action.listed);
  }
}

function isDenied(action: RegisteredAction, denied: Set<string>): boolean {
  const permission = action.options.visibilityPermission;
  return permission !== undefined && denied.has(permission.name);
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
