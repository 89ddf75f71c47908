import type {
  AuthService,
  BackstageCredentials,
  BackstageServicePrincipal,
  Config,
  DiscoveryService,
  PermissionsService,
  PermissionsServiceRequestOptions,
} from '@plinth/backend-plugin-api';
import type { RootPermissionsAuthorizerService } from '@plinth/backend-plugin-api/alpha';
import {
  describeValue,
  InputError,
  isError,
  ResponseError,
} from '@plinth/errors';
import {
  AuthorizeResult,
  decideByAccessRestrictions,
  type AuthorizePermissionRequest,
  type AuthorizePermissionResponse,
  type EvaluatePermissionRequest,
  type EvaluatePermissionRequestBatch,
  type PolicyDecision,
  type QueryPermissionRequest,
  type QueryPermissionResponse,
} from '@plinth/plugin-permission-common';
import { readDurationFromConfig } from '../../config';
import { RuntimeServiceError } from '../../errors';
import { parsePolicyDecisions } from './parsePolicyDecisions';
import { PermissionDecisionCache } from './PermissionDecisionCache';

/** How long the permission backend's decisions are kept, by default. */
const defaultCacheTtlMs = 5_000;
/** Enough for the burst of one page of many users; each entry is small. */
const cacheMaxEntries = 10_000;

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
  /** Read for `permission.enabled` and `permission.cache.ttl`. */
  config: Config;
  /**
   * The slot of this backend's in-process authorizer, asked before the
   * permission backend over HTTP; without it, every decision goes over
   * HTTP.
   */
  authorizer?: RootPermissionsAuthorizerService;
  /** The clock of the decision cache, for tests. */
  now?: () => number;
}

type PermissionRequest = AuthorizePermissionRequest | QueryPermissionRequest;

/**
 * Backstage's permission semantics. A service principal is decided here,
 * from its access restrictions: allowed unless they name other
 * permissions or other actions. Anyone else is allowed while
 * `permission.enabled` is not `true`. Once it is, the `permission`
 * plugin decides: in-process, through its authorizer, when it runs in
 * this backend; otherwise each call sends the requests it has no recent
 * decision for in one batch to the permission backend's `authorize`
 * route, with a token made on behalf of the caller, and keeps the answers
 * for `permission.cache.ttl`.
 */
export class DefaultPermissionsService implements PermissionsService {
  readonly #options: DefaultPermissionsServiceOptions;
  readonly #enabled: boolean;
  readonly #cache: PermissionDecisionCache;

  /**
   * @example
   * ```ts
   * const permissions = DefaultPermissionsService.create({ pluginId: 'todo', auth, discovery, config });
   * const [decision] = await permissions.authorize([{ permission: todoCreate }], { credentials });
   * ```
   * @throws {@link InvalidConfigError} when `permission.enabled` is not a
   *   boolean or `permission.cache.ttl` is not a duration.
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
    this.#cache = new PermissionDecisionCache({
      ttlMs:
        readDurationFromConfig(options.config, 'permission.cache.ttl') ??
        defaultCacheTtlMs,
      maxEntries: cacheMaxEntries,
      now: options.now,
    });
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
    const local = await this.#options.authorizer?.getAuthorizer();
    if (local) {
      const decisions = await local.evaluate(requests, { credentials });
      return method === 'authorize'
        ? decisions.map((d, i) => this.#assertDefinitive(d, requests[i]))
        : decisions;
    }
    return this.#cache.decide(
      requests,
      { credentials, conditional: method === 'authorizeConditional' },
      missing => this.#askPermissionBackend(method, missing, credentials),
    );
  }

  /**
   * `authorize()` promises ALLOW or DENY; a policy's CONDITIONAL answer to
   * a request without a resource ref cannot be one, as the permission
   * backend's client refuses it over HTTP too.
   */
  #assertDefinitive(
    decision: PolicyDecision,
    request: PermissionRequest,
  ): PolicyDecision {
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      throw new InputError(
        `permissions.authorize() of plugin '${this.#options.pluginId}' got a conditional decision for permission '${request.permission.name}', which needs the resource; pass its resourceRef, or call authorizeConditional() to filter many.`,
      );
    }
    return decision;
  }

  async #askPermissionBackend(
    method: 'authorize' | 'authorizeConditional',
    requests: EvaluatePermissionRequest[],
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

/** Backstage's rule for service principals, shared with the permission backend. */
function decideForService(
  request: PermissionRequest,
  credentials: BackstageCredentials<BackstageServicePrincipal>,
): AuthorizePermissionResponse {
  return decideByAccessRestrictions(
    request.permission,
    credentials.principal.accessRestrictions,
  );
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
