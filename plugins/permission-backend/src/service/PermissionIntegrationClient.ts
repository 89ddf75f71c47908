import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@plinth/backend-plugin-api';
import { describeValue, ResponseError } from '@plinth/errors';
import {
  AuthorizeResult,
  type ApplyConditionsRequest,
  type ApplyConditionsRequestEntry,
  type DefinitivePolicyDecision,
} from '@plinth/plugin-permission-common';
import { PermissionBackendError } from '../errors';

/**
 * Calls a plugin's `POST /.well-known/backstage/permissions/apply-conditions`
 * to resolve conditional decisions for the resources it owns, one call
 * per plugin for a batch of decisions.
 */
export class PermissionIntegrationClient {
  readonly #auth: AuthService;
  readonly #discovery: DiscoveryService;

  constructor(options: { auth: AuthService; discovery: DiscoveryService }) {
    this.#auth = options.auth;
    this.#discovery = options.discovery;
  }

  /**
   * ALLOW or DENY for each entry, in order. The call carries a token on
   * behalf of the caller, as Backstage's does; for a caller without
   * credentials, which the route refuses, it carries the permission
   * plugin's own.
   *
   * @throws {@link PermissionBackendError} `APPLY_CONDITIONS_FAILED` when
   *   the plugin cannot be reached or fails, and
   *   `APPLY_CONDITIONS_RESPONSE_INVALID` when it answers something else.
   */
  async applyConditions(
    pluginId: string,
    credentials: BackstageCredentials,
    entries: ApplyConditionsRequestEntry[],
  ): Promise<DefinitivePolicyDecision[]> {
    const onBehalfOf = this.#auth.isPrincipal(credentials, 'none')
      ? await this.#auth.getOwnServiceCredentials()
      : credentials;
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: pluginId,
    });
    const url = `${await this.#discovery.getBaseUrl(pluginId)}/.well-known/backstage/permissions/apply-conditions`;
    const body: ApplyConditionsRequest = { items: entries };
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw failed(pluginId, url, 'the request failed', error);
    }
    if (!response.ok) {
      throw failed(
        pluginId,
        url,
        `it answered ${response.status}`,
        await ResponseError.fromResponse(response),
      );
    }
    const decisions = readDecisions(
      await response.json().catch(() => undefined),
      entries.map(e => e.id),
    );
    if (typeof decisions === 'string') {
      throw new PermissionBackendError(
        'APPLY_CONDITIONS_RESPONSE_INVALID',
        `Plugin '${pluginId}' answered the apply-conditions request at '${url}' with an invalid body: ${decisions}. Check that the plugin serves Backstage's permission integration routes.`,
      );
    }
    return decisions;
  }
}

function failed(
  pluginId: string,
  url: string,
  why: string,
  cause: unknown,
): PermissionBackendError {
  return new PermissionBackendError(
    'APPLY_CONDITIONS_FAILED',
    `Could not apply permission conditions through plugin '${pluginId}' at '${url}': ${why}. A policy's conditional decision for a resource is resolved by the plugin that owns it; check that plugin is running and see the cause.`,
    cause,
  );
}

/** `{ items: [{ id, result }] }`, one ALLOW or DENY per id, in `ids` order. */
function readDecisions(
  body: unknown,
  ids: string[],
): DefinitivePolicyDecision[] | string {
  const items = (body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) {
    return `expected { items: [...] }, got ${describeValue(body)}`;
  }
  const byId = new Map<string, DefinitivePolicyDecision>();
  for (const [index, item] of items.entries()) {
    const { id, result } = (item ?? {}) as { id?: unknown; result?: unknown };
    if (result !== AuthorizeResult.ALLOW && result !== AuthorizeResult.DENY) {
      return `items[${index}].result must be 'ALLOW' or 'DENY', got ${describeValue(result)}`;
    }
    if (typeof id !== 'string' || !ids.includes(id) || byId.has(id)) {
      return `items[${index}].id ${describeValue(id)} does not match a request, or answers one twice`;
    }
    byId.set(id, { result });
  }
  if (byId.size !== ids.length) {
    return `${ids.length - byId.size} of ${ids.length} requests got no answer`;
  }
  return ids.map(id => byId.get(id)!);
}
