import type {
  PermissionsService,
  PermissionsServiceRequestOptions,
} from '@plinth/backend-plugin-api';
import {
  AuthorizeResult,
  type AuthorizePermissionRequest,
  type AuthorizePermissionResponse,
  type QueryPermissionRequest,
  type QueryPermissionResponse,
} from '@plinth/plugin-permission-common';

/**
 * A permissions service that gives one answer to every request, and
 * remembers what it was asked.
 *
 * @public
 */
export class MockPermissionsService implements PermissionsService {
  readonly #result: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  readonly #requests: Array<
    AuthorizePermissionRequest | QueryPermissionRequest
  > = [];

  /**
   * @param options - `result` is the answer to every request.
   * @defaultValue `{ result: AuthorizeResult.ALLOW }`
   */
  constructor(options?: {
    result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  }) {
    this.#result = options?.result ?? AuthorizeResult.ALLOW;
  }

  /** Every request asked about, in order. */
  get requests(): ReadonlyArray<
    AuthorizePermissionRequest | QueryPermissionRequest
  > {
    return this.#requests;
  }

  async authorize(
    requests: AuthorizePermissionRequest[],
    _options?: PermissionsServiceRequestOptions,
  ): Promise<AuthorizePermissionResponse[]> {
    this.#requests.push(...requests);
    return requests.map(() => ({ result: this.#result }));
  }

  async authorizeConditional(
    requests: QueryPermissionRequest[],
    _options?: PermissionsServiceRequestOptions,
  ): Promise<QueryPermissionResponse[]> {
    this.#requests.push(...requests);
    return requests.map(() => ({ result: this.#result }));
  }
}
