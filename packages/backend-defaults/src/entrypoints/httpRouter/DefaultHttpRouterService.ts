import type {
  AuthService,
  HttpAuthService,
  HttpRouterService,
  HttpRouterServiceAuthPolicy,
  HttpRouterServiceWebSocketHandler,
  LoggerService,
  RootHttpRouterService,
} from '@plinth/backend-plugin-api';
import { describeValue, InputError, quoteList } from '@plinth/errors';
import type { Handler, RequestHandler } from 'express';
import {
  chainMiddleware,
  type Middleware,
} from '../rootHttpRouter/chainMiddleware';
import {
  addPluginWebSocketHandler,
  type PluginWebSocketContext,
} from './addPluginWebSocketHandler';
import {
  createResponseRedaction,
  type ResponseRedactor,
} from './createResponseRedaction';

/**
 * Options for {@link DefaultHttpRouterService.create}.
 *
 * @public
 */
export interface DefaultHttpRouterServiceOptions {
  pluginId: string;
  rootHttpRouter: RootHttpRouterService;
  httpAuth: HttpAuthService;
  /** Checks the tokens of WebSocket upgrades, which have no express request. */
  auth: AuthService;
  /** Gets the refused WebSocket upgrades: 4xx at debug, 5xx at error. */
  logger: LoggerService;
  /**
   * Skip the credentials check on every path, as
   * `backend.auth.dangerouslyDisableDefaultAuthPolicy` asks.
   * @defaultValue `false`
   */
  disableDefaultAuthPolicy?: boolean;
  /**
   * Masks secrets in everything the plugin's routes write.
   * @defaultValue none: responses are sent as written
   */
  responseRedactor?: ResponseRedactor;
}

/**
 * A plugin's routes under `/api/<pluginId>`, behind a barrier that requires
 * credentials except on the paths the plugin's auth policies open. Behind
 * the barrier, a URL holding an encoded NUL character is refused. The body
 * is left unread for the plugin's router to parse, as on Backstage (with
 * `createJsonBodyParser` of `@plinth/backend-plugin-api`, or any parser of
 * its own, such as express 4's `express.json()` or `express.raw()`), so a
 * request without credentials costs no reading or inflating. What the
 * routes write passes the response redactor, when there is one.
 *
 * @public
 */
export class DefaultHttpRouterService implements HttpRouterService {
  readonly #pluginId: string;
  /** The barrier and the plugin's handlers, in the order they run. */
  readonly #handlers: Middleware[] = [];
  readonly #policies: HttpRouterServiceAuthPolicy[] = [];
  readonly #webSockets: PluginWebSocketContext;

  /**
   * Mounts the plugin's router at `/api/<pluginId>` on the root router.
   *
   * @example
   * ```ts
   * const router = DefaultHttpRouterService.create({ pluginId: 'todo', rootHttpRouter, httpAuth });
   * router.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
   * router.use(todoRouter);
   * ```
   * @throws what `rootHttpRouter.use()` throws, such as a
   *   {@link @plinth/errors#ConflictError} when the path is taken.
   */
  static create(
    options: DefaultHttpRouterServiceOptions,
  ): DefaultHttpRouterService {
    return new DefaultHttpRouterService(options);
  }

  private constructor(options: DefaultHttpRouterServiceOptions) {
    this.#pluginId = options.pluginId;
    this.#webSockets = {
      pluginId: options.pluginId,
      rootHttpRouter: options.rootHttpRouter,
      auth: options.auth,
      logger: options.logger,
      disableDefaultAuthPolicy: options.disableDefaultAuthPolicy ?? false,
    };
    if (options.responseRedactor) {
      this.#handlers.push(createResponseRedaction(options.responseRedactor));
    }
    if (!options.disableDefaultAuthPolicy) {
      this.#handlers.push(
        createCredentialsBarrier({
          httpAuth: options.httpAuth,
          policies: this.#policies,
        }),
      );
    }
    this.#handlers.push(refuseEncodedNul);
    options.rootHttpRouter.use(
      `/api/${options.pluginId}`,
      chainMiddleware(this.#handlers),
    );
  }

  /**
   * Adds the plugin's handlers, after the credentials barrier.
   *
   * @throws {@link @plinth/errors#InputError} when `handler` is not a function.
   */
  use(handler: Handler): void {
    if (typeof handler !== 'function') {
      throw new InputError(
        `httpRouter.use() of plugin '${this.#pluginId}' got ${describeValue(handler)}; pass an express handler or router.`,
      );
    }
    this.#handlers.push(handler);
  }

  /**
   * Hands WebSocket upgrades to `/api/<pluginId><path>` to the handler once
   * the caller has a user or service token (see
   * `addPluginWebSocketHandler.ts`); auth policies do not apply to them.
   *
   * @throws {@link @plinth/errors#InputError} when the options are invalid;
   *   {@link @plinth/errors#ConflictError} when the path has a handler.
   */
  addWebSocketHandler(options: HttpRouterServiceWebSocketHandler): void {
    addPluginWebSocketHandler(this.#webSockets, options);
  }

  /**
   * Lets requests to `policy.path` and below through without credentials
   * (`unauthenticated`) or with the limited user cookie (`user-cookie`).
   *
   * @throws {@link @plinth/errors#InputError} when the policy is invalid.
   */
  addAuthPolicy(policy: HttpRouterServiceAuthPolicy): void {
    assertValidAuthPolicy(policy, this.#pluginId);
    this.#policies.push({ path: policy.path, allow: policy.allow });
  }
}

/**
 * The middleware that requires credentials on every request of a plugin,
 * except on paths its auth policies open: `unauthenticated` lets any
 * request through, `user-cookie` also accepts the limited user cookie.
 * A policy path covers itself and everything below it by whole segments:
 * `/health` covers `/health` and `/health/x`, not `/healthz`.
 *
 * @remarks
 * Credentials problems reach the error handler as the errors `httpAuth`
 * throws: `AuthenticationError` (401) and `NotAllowedError` (403).
 */
function createCredentialsBarrier(options: {
  httpAuth: HttpAuthService;
  /** Read on every request, so policies added later count. */
  policies: readonly HttpRouterServiceAuthPolicy[];
}): RequestHandler {
  const { httpAuth, policies } = options;
  return async (req, _res, next) => {
    let allowLimitedAccess = false;
    for (const policy of policies) {
      if (!covers(policy.path, req.path)) {
        continue;
      }
      if (policy.allow === 'unauthenticated') {
        next();
        return;
      }
      allowLimitedAccess ||= policy.allow === 'user-cookie';
    }
    await httpAuth.credentials(req, {
      allow: ['user', 'service'],
      allowLimitedAccess,
    });
    next();
  };
}

/**
 * Refuses a URL holding an encoded NUL character, which no route can store
 * or match.
 */
const refuseEncodedNul: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.originalUrl)) {
    next(
      new InputError(
        "Request rejected: its URL contains an encoded NUL character ('%00'), which no route accepts. Remove it from the path and query.",
      ),
    );
    return;
  }
  next();
};

function covers(policyPath: string, requestPath: string): boolean {
  const prefix = policyPath.replace(/\/+$/, '');
  return (
    prefix === '' ||
    requestPath === prefix ||
    requestPath.startsWith(`${prefix}/`)
  );
}

const allowValues: ReadonlyArray<HttpRouterServiceAuthPolicy['allow']> = [
  'unauthenticated',
  'user-cookie',
];

/**
 * Checks an auth policy that plugin `pluginId` passed to `addAuthPolicy()`.
 *
 * @throws {@link @plinth/errors#InputError} when it is not an object, its
 *   path does not start with `/` or has a query or fragment, or its `allow`
 *   is not one of the valid values.
 */
function assertValidAuthPolicy(
  policy: unknown,
  pluginId: string,
): asserts policy is HttpRouterServiceAuthPolicy {
  const call = `addAuthPolicy() of plugin '${pluginId}'`;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw new InputError(
      `${call} got ${describeValue(policy)}; pass { path, allow }, such as { path: '/health', allow: 'unauthenticated' }.`,
    );
  }
  const { path, allow } = policy as Record<string, unknown>;
  if (
    typeof path !== 'string' ||
    !path.startsWith('/') ||
    /[?#\s]/.test(path)
  ) {
    throw new InputError(
      `${call} got the path ${describeValue(path)}; a path starts with '/' and is relative to '/api/${pluginId}', without query or fragment, such as '/health'.`,
    );
  }
  if (!allowValues.includes(allow as HttpRouterServiceAuthPolicy['allow'])) {
    throw new InputError(
      `${call} got allow ${describeValue(allow)} for path '${path}'; use ${quoteList(allowValues, 'or')}.`,
    );
  }
}
