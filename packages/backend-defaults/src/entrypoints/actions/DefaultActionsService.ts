import type {
  ActionsService,
  ActionsServiceAction,
} from '@plinth/backend-plugin-api/alpha';
import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  JsonObject,
  JsonValue,
  LoggerService,
  RootConfigService,
} from '@plinth/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
  ServiceUnavailableError,
  quoteList,
} from '@plinth/errors';
import { RuntimeServiceError } from '../../errors';
import { actionsBasePath } from './DefaultActionsRegistryService';
import { readActionsConfig, type ActionsConfig } from './readActionsConfig';

/**
 * Options for {@link DefaultActionsService.create}.
 *
 * @public
 */
export interface DefaultActionsServiceOptions {
  discovery: DiscoveryService;
  config: RootConfigService;
  logger: LoggerService;
  auth: AuthService;
}

/** Remote refusals rethrown as the typed error of the same name and status. */
const typedErrors: Record<
  string,
  new (message: string, cause?: unknown) => Error
> = {
  InputError,
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ConflictError,
};

/**
 * Lists and invokes the actions of the plugins in
 * `backend.actions.pluginSources` over HTTP, through discovery, with a
 * service token on behalf of the caller: the same path whether the plugin
 * runs in this process or in another, so the target checks the caller's
 * credentials the same way in both cases.
 *
 * @public
 */
export class DefaultActionsService implements ActionsService {
  readonly #discovery: DiscoveryService;
  readonly #config: ActionsConfig;
  readonly #logger: LoggerService;
  readonly #auth: AuthService;

  /**
   * @example
   * ```ts
   * const actions = DefaultActionsService.create({ discovery, config, logger, auth });
   * const { actions: listed } = await actions.list({ credentials });
   * ```
   */
  static create(options: DefaultActionsServiceOptions): DefaultActionsService {
    return new DefaultActionsService(options);
  }

  private constructor(options: DefaultActionsServiceOptions) {
    this.#discovery = options.discovery;
    this.#config = readActionsConfig(options.config);
    this.#logger = options.logger;
    this.#auth = options.auth;
  }

  /**
   * The actions of every plugin source that answers; a plugin that cannot
   * be reached or answers wrongly is logged and left out, so one broken
   * plugin does not hide the others' actions.
   */
  async list(opts: {
    credentials: BackstageCredentials;
  }): Promise<{ actions: ActionsServiceAction[] }> {
    const lists = await Promise.all(
      (this.#config.pluginSources ?? []).map(async pluginId => {
        try {
          const body = await this.#request({
            pluginId,
            path: `${actionsBasePath}/v1/actions`,
            credentials: opts.credentials,
            what: `list the actions of plugin '${pluginId}'`,
          });
          return readActionList(body, pluginId);
        } catch (error) {
          this.#logger.warn(
            `Cannot list the actions of plugin '${pluginId}'; its actions are left out`,
            error as Error,
          );
          return [];
        }
      }),
    );
    return { actions: lists.flat().filter(a => this.#config.isAllowed(a)) };
  }

  /**
   * Invokes an action of a plugin source.
   *
   * @throws {@link @plinth/errors#InputError} for an id that is not
   *   `<pluginId>:<name>` or input the action refuses;
   *   {@link @plinth/errors#NotFoundError} for an action no plugin source
   *   serves; {@link @plinth/errors#ServiceUnavailableError} when the plugin
   *   cannot be reached; the typed error of any other refusal.
   */
  async invoke(opts: {
    id: string;
    input?: JsonObject;
    secrets?: JsonObject;
    credentials: BackstageCredentials;
  }): Promise<{ output: JsonValue }> {
    const pluginId = this.#pluginIdOf(opts.id);
    // Secrets travel only on v2, which wraps the input beside them.
    const version = opts.secrets ? 'v2' : 'v1';
    const body =
      version === 'v2'
        ? { input: opts.input ?? {}, secrets: opts.secrets }
        : (opts.input ?? {});
    const result = await this.#request({
      pluginId,
      path: `${actionsBasePath}/${version}/actions/${encodeURIComponent(opts.id)}/invoke`,
      credentials: opts.credentials,
      body,
      what: `invoke action '${opts.id}'`,
    });
    if (
      typeof result !== 'object' ||
      result === null ||
      !('output' in result)
    ) {
      throw new RuntimeServiceError(
        'ACTIONS_RESPONSE_INVALID',
        `Cannot invoke action '${opts.id}': plugin '${pluginId}' answered without an 'output'. Check that the plugin serves the actions protocol of this backend.`,
      );
    }
    return { output: (result as { output: JsonValue }).output };
  }

  #pluginIdOf(id: string): string {
    const colon = typeof id === 'string' ? id.indexOf(':') : -1;
    if (colon <= 0) {
      throw new InputError(
        `Invalid action id '${String(id)}': an action id is '<pluginId>:<name>', such as 'catalog:get-entity'.`,
      );
    }
    const pluginId = id.slice(0, colon);
    const sources = this.#config.pluginSources;
    // With sources configured, the plugin's registry serves nothing to a
    // plugin outside them; say so here instead of asking it. Without them,
    // the id alone decides, as in Backstage.
    if (sources && !sources.includes(pluginId)) {
      throw new NotFoundError(
        `Action '${id}' not found: plugin '${pluginId}' is not one of the action sources in 'backend.actions.pluginSources' (${sources.length > 0 ? quoteList(sources) : 'none'}). Add it there to use its actions.`,
      );
    }
    return pluginId;
  }

  /** One call to a plugin's actions routes, answering the parsed JSON body. */
  async #request(options: {
    pluginId: string;
    path: string;
    credentials: BackstageCredentials;
    body?: JsonValue;
    what: string;
  }): Promise<unknown> {
    const { pluginId, what } = options;
    const baseUrl = await this.#discovery.getBaseUrl(pluginId);
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: options.credentials,
      targetPluginId: pluginId,
    });
    const url = `${baseUrl}${options.path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: options.body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          ...(options.body === undefined
            ? {}
            : { 'content-type': 'application/json' }),
        },
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `Cannot ${what}: plugin '${pluginId}' at '${baseUrl}' is unreachable (${describeFetchFailure(error)}). Check that it runs and that discovery points at it.`,
        error,
      );
    }
    if (!response.ok) {
      throw toTypedError(
        await ResponseError.fromResponse(response),
        what,
        pluginId,
      );
    }
    try {
      return await response.json();
    } catch (error) {
      throw new RuntimeServiceError(
        'ACTIONS_RESPONSE_INVALID',
        `Cannot ${what}: plugin '${pluginId}' answered ${response.status} with a body that is not JSON. Check that the plugin serves the actions protocol of this backend.`,
        error,
      );
    }
  }
}

/**
 * A refusal of the remote plugin as the typed error it was there, so the
 * caller's own error handler answers with the same status; other failures
 * stay a {@link @plinth/errors#ResponseError}.
 */
function toTypedError(
  error: ResponseError,
  what: string,
  pluginId: string,
): Error {
  const remote = error.remoteError;
  const TypedError = remote ? typedErrors[remote.name] : undefined;
  if (!remote || !TypedError) {
    return error;
  }
  return new TypedError(
    `Cannot ${what}: plugin '${pluginId}' refused with ${error.statusCode}: ${remote.message}`,
    error,
  );
}

function readActionList(
  body: unknown,
  pluginId: string,
): ActionsServiceAction[] {
  const actions = (body as { actions?: unknown } | null)?.actions;
  if (!Array.isArray(actions)) {
    throw new RuntimeServiceError(
      'ACTIONS_RESPONSE_INVALID',
      `Plugin '${pluginId}' answered the action list without an 'actions' array. Check that the plugin serves the actions protocol of this backend.`,
    );
  }
  return actions as ActionsServiceAction[];
}

/** The system error code of a failed fetch, such as `ECONNREFUSED`. */
function describeFetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  if (typeof cause?.code === 'string') {
    return cause.code;
  }
  return error instanceof Error ? error.message : String(error);
}
