import type {
  AuthService,
  BackstageCredentials,
  BackstageServicePrincipal,
  Config,
  DiscoveryService,
  PermissionsService,
  PermissionsServiceRequestOptions,
} from '@plinth/backend-plugin-api';
import {
  describeValue,
  InputError,
  isError,
  ResponseError,
} from '@plinth/errors';
import {
  AuthorizeResult,
  type AuthorizePermissionRequest,
  type AuthorizePermissionResponse,
  type EvaluatePermissionRequestBatch,
  type PolicyDecision,
  type QueryPermissionRequest,
  type QueryPermissionResponse,
} from '@plinth/plugin-permission-common';
import { RuntimeServiceError } from '../../errors';
import { parsePolicyDecisions } from './parsePolicyDecisions';

/**
 * Options for {@link DefaultPermissionsService.create}.
 *
 * @public
 */
export interface DefaultPermissionsServiceOptions {
  /** The plugin the service serves, named in errors. */
  pluginId: string;
  auth: AuthService;
  discovery: DiscoveryService;
  /** Read for `permission.enabled`. */
  config: Config;
}

type PermissionRequest = AuthorizePermissionRequest | QueryPermissionRequest;

/**
 * Backstage's permission semantics. A service principal is decided here,
 * from its access restrictions: allowed unless they name other
 * permissions or other actions. Anyone else is allowed while
 * `permission.enabled` is not `true`; once it is, every call sends its
 * requests in one batch to the permission backend's `authorize` route,
 * with a token made on behalf of the caller.
 */
export class DefaultPermissionsService implements PermissionsService {
  readonly #options: DefaultPermissionsServiceOptions;
  readonly #enabled: boolean;

  /**
   * @example
   * ```ts
   * const permissions = DefaultPermissionsService.create({ pluginId: 'todo', auth, discovery, config });
   * const [decision] = await permissions.authorize([{ permission: todoCreate }], { credentials });
   * ```
   * @throws {@link InvalidConfigError} when `permission.enabled` is not a boolean.
   */
  static create(
    options: DefaultPermissionsServiceOptions,
  ): DefaultPermissionsService {
    return new DefaultPermissionsService(options);
  }

  private constructor(options: DefaultPermissionsServiceOptions) {
    this.#options = options;
    this.#enabled =
      options.config.getOptionalBoolean('permission.enabled') ?? false;
  }

  /**
   * @throws {@link @plinth/errors#InputError} when `options.credentials` is
   *   missing; {@link RuntimeServiceError} when the permission backend does
   *   not answer, fails or answers something else than decisions.
   */
  async authorize(
    requests: AuthorizePermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<AuthorizePermissionResponse[]> {
    return this.#evaluate('authorize', requests, options) as Promise<
      AuthorizePermissionResponse[]
    >;
  }

  /** @throws as {@link DefaultPermissionsService.authorize} does. */
  async authorizeConditional(
    requests: QueryPermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<QueryPermissionResponse[]> {
    return this.#evaluate('authorizeConditional', requests, options);
  }

  async #evaluate(
    method: 'authorize' | 'authorizeConditional',
    requests: PermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<PolicyDecision[]> {
    const credentials = options?.credentials;
    if (credentials?.$$type !== '@backstage/BackstageCredentials') {
      throw new InputError(
        `permissions.${method}() of plugin '${this.#options.pluginId}' needs the caller's credentials as options.credentials, got ${describeValue(credentials)}; pass { credentials: await httpAuth.credentials(req) }.`,
      );
    }
    const { auth } = this.#options;
    if (auth.isPrincipal(credentials, 'service')) {
      return requests.map(request => decideForService(request, credentials));
    }
    if (!this.#enabled || requests.length === 0) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    }
    return this.#askPermissionBackend(method, requests, credentials);
  }

  async #askPermissionBackend(
    method: 'authorize' | 'authorizeConditional',
    requests: PermissionRequest[],
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision[]> {
    const { auth, discovery } = this.#options;
    const body: EvaluatePermissionRequestBatch = {
      items: requests.map(request => ({
        id: crypto.randomUUID(),
        ...request,
      })),
    };
    const headers: Record<string, string> = {
      'content-type': 'application/json',
    };
    // A caller without credentials is still asked about: the policy
    // decides what anonymous callers may do.
    if (!auth.isPrincipal(credentials, 'none')) {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'permission',
      });
      headers.authorization = `Bearer ${token}`;
    }
    const url = `${await discovery.getBaseUrl('permission')}/authorize`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw unavailable(url, `the request failed (${describeCause(error)})`);
    }
    if (response.status === 404) {
      throw unavailable(url, 'it answered 404');
    }
    if (!response.ok) {
      throw new RuntimeServiceError(
        'PERMISSION_BACKEND_FAILED',
        `The permission backend at '${url}' failed to answer ${requests.length} permission request(s) of plugin '${this.#options.pluginId}'; see the cause, and the permission backend's logs.`,
        await ResponseError.fromResponse(response),
      );
    }
    const decisions = parsePolicyDecisions(
      await response.json().catch(() => undefined),
      body.items.map(item => item.id),
      { allowConditional: method === 'authorizeConditional' },
    );
    if (typeof decisions === 'string') {
      throw new RuntimeServiceError(
        'PERMISSION_RESPONSE_INVALID',
        `The permission backend at '${url}' answered with an invalid body: ${decisions}. Check that 'permission' is a Backstage-compatible permission backend.`,
      );
    }
    return decisions;
  }
}

/**
 * Backstage's rule for service principals: allowed, unless their access
 * restrictions list permission names or actions that leave this one out.
 */
function decideForService(
  request: PermissionRequest,
  credentials: BackstageCredentials<BackstageServicePrincipal>,
): AuthorizePermissionResponse {
  const { permissionNames, permissionAttributes } =
    credentials.principal.accessRestrictions ?? {};
  if (permissionNames && !permissionNames.includes(request.permission.name)) {
    return { result: AuthorizeResult.DENY };
  }
  if (permissionAttributes?.action) {
    const action = request.permission.attributes?.action;
    if (!action || !permissionAttributes.action.includes(action)) {
      return { result: AuthorizeResult.DENY };
    }
  }
  return { result: AuthorizeResult.ALLOW };
}

function unavailable(url: string, why: string): RuntimeServiceError {
  return new RuntimeServiceError(
    'PERMISSION_BACKEND_UNAVAILABLE',
    `No permission backend answered at '${url}': ${why}. 'permission.enabled' is true, so every permission request goes to the permission backend; install it, or set 'permission.enabled' to false to allow everything.`,
  );
}

/** A failed connection by its code, such as `ECONNREFUSED`, else its message. */
function describeCause(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') {
    return code;
  }
  if (isError(cause)) {
    return cause.message;
  }
  return isError(error) ? error.message : String(error);
}
