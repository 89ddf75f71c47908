import type {
  HttpAuthService,
  HttpRouterService,
  HttpRouterServiceAuthPolicy,
  RootHttpRouterService,
} from '@plinth/backend-plugin-api';
import { describeValue } from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import express, { type Handler } from 'express';
import { assertValidAuthPolicy } from './assertValidAuthPolicy';
import { createCredentialsBarrier } from './createCredentialsBarrier';

/**
 * Options for {@link DefaultHttpRouterService.create}.
 *
 * @public
 */
export interface DefaultHttpRouterServiceOptions {
  pluginId: string;
  rootHttpRouter: RootHttpRouterService;
  httpAuth: HttpAuthService;
  /**
   * Skip the credentials check on every path, as
   * `backend.auth.dangerouslyDisableDefaultAuthPolicy` asks.
   * @defaultValue `false`
   */
  disableDefaultAuthPolicy?: boolean;
}

/**
 * A plugin's routes under `/api/<pluginId>`, behind a barrier that requires
 * credentials except on the paths the plugin's auth policies open.
 *
 * @public
 */
export class DefaultHttpRouterService implements HttpRouterService {
  readonly #pluginId: string;
  readonly #router: express.Router;
  readonly #policies: HttpRouterServiceAuthPolicy[] = [];

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
    this.#router = express.Router();
    if (!options.disableDefaultAuthPolicy) {
      this.#router.use(
        createCredentialsBarrier({
          httpAuth: options.httpAuth,
          policies: this.#policies,
        }),
      );
    }
    options.rootHttpRouter.use(`/api/${options.pluginId}`, this.#router);
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
    this.#router.use(handler);
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
