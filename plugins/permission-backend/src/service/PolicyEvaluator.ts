import type {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@plinth/backend-plugin-api';
import type {
  PermissionConditionsApplier,
  PermissionsAuthorizer,
  RootPermissionsAuthorizerService,
} from '@plinth/backend-plugin-api/alpha';
import {
  AuthorizeResult,
  decideByAccessRestrictions,
  findPolicyDecisionProblem,
  type ApplyConditionsRequestEntry,
  type DefinitivePolicyDecision,
  type EvaluatePermissionRequest,
  type Permission,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQueryUser,
} from '@plinth/plugin-permission-node';
import { PermissionBackendError } from '../errors';
import type { PermissionIntegrationClient } from './PermissionIntegrationClient';
import { UserTokenCache } from './UserTokenCache';

/** Options for {@link PolicyEvaluator}. */
export interface PolicyEvaluatorOptions {
  /** The installed policy; none only while `permission.enabled` is false. */
  policy: PermissionPolicy | undefined;
  auth: AuthService;
  userInfo: UserInfoService;
  integrationClient: PermissionIntegrationClient;
  /**
   * The backend's in-process wiring, for the plugins here that apply
   * conditions without HTTP; without it every plugin is called over HTTP.
   */
  wiring?: Pick<RootPermissionsAuthorizerService, 'getConditionsApplier'>;
}

/**
 * A request of the `authorize` route. Backstage's `PermissionClient`, with
 * `permission.EXPERIMENTAL_enableBatchedRequests`, names every resource it
 * asks about for one permission in one request, as a list.
 */
export type BatchedEvaluateRequest = {
  permission: Permission;
  resourceRef?: string | string[];
};

/**
 * The answer to a {@link BatchedEvaluateRequest}: for a list of resources,
 * one ALLOW or DENY per resource, in the order of the list.
 */
export type BatchedEvaluateDecision =
  PolicyDecision | { result: DefinitivePolicyDecision['result'][] };

/**
 * Decides permission requests the way Backstage's permission backend
 * does, for its `authorize` route and, in-process, for the permissions
 * service of every plugin in the same backend:
 *
 * - a service principal by its access restrictions, never by the policy;
 * - anyone else by the policy, given the user (credentials, user info
 *   and a token on their behalf) when the caller is one;
 * - a CONDITIONAL decision must be for a resource permission of the same
 *   resource type; for a request that names a resource, its conditions
 *   are applied by the owning plugin, in one call per plugin per batch.
 */
export class PolicyEvaluator implements PermissionsAuthorizer {
  readonly #options: PolicyEvaluatorOptions;
  /**
   * Backstage gives policies a token for the catalog: the plugin they
   * most often call, to look up what the user owns.
   */
  readonly #catalogTokens: UserTokenCache;

  constructor(options: PolicyEvaluatorOptions) {
    this.#options = options;
    this.#catalogTokens = new UserTokenCache({
      auth: options.auth,
      targetPluginId: 'catalog',
    });
  }

  /**
   * @throws {@link PermissionBackendError} when the policy answers no
   *   valid decision, or conditions cannot be applied.
   */
  async evaluate(
    requests: EvaluatePermissionRequest[],
    options: { credentials: BackstageCredentials },
  ): Promise<PolicyDecision[]> {
    // A request naming one resource gets one decision, never a list.
    return (await this.evaluateBatched(requests, options)) as PolicyDecision[];
  }

  /**
   * As {@link PolicyEvaluator.evaluate}, for the `authorize` route, whose
   * requests may name a list of resources: the policy is asked once per
   * request, and a conditional decision is applied to each resource of the
   * list, in the same call to the owning plugin as the rest of the batch.
   *
   * @throws {@link PermissionBackendError} as `evaluate` does.
   */
  async evaluateBatched(
    requests: BatchedEvaluateRequest[],
    options: { credentials: BackstageCredentials },
  ): Promise<BatchedEvaluateDecision[]> {
    const { credentials } = options;
    const { auth, policy } = this.#options;
    if (auth.isPrincipal(credentials, 'service')) {
      const restrictions = credentials.principal.accessRestrictions;
      return requests.map(r =>
        forEachResource(
          r,
          decideByAccessRestrictions(r.permission, restrictions),
        ),
      );
    }
    if (!policy || requests.length === 0) {
      return requests.map(r =>
        forEachResource(r, { result: AuthorizeResult.ALLOW }),
      );
    }
    const user = await this.#toPolicyUser(credentials);
    const decisions = await Promise.all(
      requests.map(async ({ permission }) =>
        assertValidDecision(
          await policy.handle({ permission }, user),
          permission,
        ),
      ),
    );
    return this.#resolveConditions(requests, decisions, credentials);
  }

  async #toPolicyUser(
    credentials: BackstageCredentials,
  ): Promise<PolicyQueryUser | undefined> {
    const { auth, userInfo } = this.#options;
    if (!auth.isPrincipal(credentials, 'user')) {
      return undefined;
    }
    const info = await userInfo.getUserInfo(credentials);
    const token = await this.#catalogTokens.getToken(credentials, info);
    const expiresAt = credentials.expiresAt?.getTime();
    return {
      credentials,
      info,
      token,
      ...(expiresAt === undefined
        ? {}
        : {
            expiresInSeconds: Math.max(
              0,
              Math.floor((expiresAt - Date.now()) / 1000),
            ),
          }),
    };
  }

  /**
   * Applies the conditions of decisions for named resources, per plugin:
   * in-process when the owner runs in this backend, else through its
   * route.
   */
  async #resolveConditions(
    requests: BatchedEvaluateRequest[],
    decisions: PolicyDecision[],
    credentials: BackstageCredentials,
  ): Promise<BatchedEvaluateDecision[]> {
    const byPlugin = new Map<string, ApplyConditionsRequestEntry[]>();
    const resolved: BatchedEvaluateDecision[] = [];
    for (const [index, decision] of decisions.entries()) {
      const { resourceRef } = requests[index];
      resolved.push(forEachResource(requests[index], decision));
      if (decision.result !== AuthorizeResult.CONDITIONAL || !resourceRef) {
        continue;
      }
      const entries = byPlugin.get(decision.pluginId) ?? [];
      // One entry per resource, each with a plain ref: every plugin's
      // apply-conditions route, Backstage's too, takes that form.
      const refs = Array.isArray(resourceRef) ? resourceRef : [resourceRef];
      for (const [position, ref] of refs.entries()) {
        entries.push({
          id: Array.isArray(resourceRef)
            ? `${index}:${position}`
            : String(index),
          resourceRef: ref,
          resourceType: decision.resourceType,
          conditions: decision.conditions,
        });
      }
      byPlugin.set(decision.pluginId, entries);
    }
    await Promise.all(
      [...byPlugin].map(async ([pluginId, entries]) => {
        const local = this.#options.wiring?.getConditionsApplier(pluginId);
        const results = local
          ? await applyLocally(pluginId, local, entries)
          : await this.#options.integrationClient.applyConditions(
              pluginId,
              credentials,
              entries,
            );
        for (const [i, entry] of entries.entries()) {
          const [index, position] = entry.id.split(':').map(Number);
          if (position === undefined) {
            resolved[index] = results[i];
          } else {
            (resolved[index].result as string[])[position] = results[i].result;
          }
        }
      }),
    );
    return resolved;
  }
}

/**
 * The decision for each resource a request names: for a list, one result
 * per resource (a CONDITIONAL placeholder until its conditions are
 * applied); otherwise the decision itself.
 */
function forEachResource(
  request: BatchedEvaluateRequest,
  decision: PolicyDecision,
): BatchedEvaluateDecision {
  if (!Array.isArray(request.resourceRef)) {
    return decision;
  }
  return {
    result: request.resourceRef.map(
      () => decision.result as DefinitivePolicyDecision['result'],
    ),
  };
}

/** Fails as over HTTP: the conditions are the policy's, not the caller's. */
async function applyLocally(
  pluginId: string,
  applier: PermissionConditionsApplier,
  entries: ApplyConditionsRequestEntry[],
): Promise<PolicyDecision[]> {
  try {
    return await applier(entries);
  } catch (error) {
    throw new PermissionBackendError(
      'APPLY_CONDITIONS_FAILED',
      `Could not apply permission conditions in-process in plugin '${pluginId}'. A policy's conditional decision for a resource is resolved by the plugin that owns it; see the cause.`,
      error,
    );
  }
}

/**
 * A policy's answer must be a decision, and a CONDITIONAL one must be for
 * a resource permission and name its resource type: the conditions are
 * the owning plugin's rules for that type.
 */
function assertValidDecision(
  decision: unknown,
  permission: Permission,
): PolicyDecision {
  const problem = findPolicyDecisionProblem(decision, 'the decision', {
    allowConditional: true,
  });
  if (problem) {
    throw invalidDecision(permission, problem);
  }
  const valid = decision as PolicyDecision;
  if (valid.result !== AuthorizeResult.CONDITIONAL) {
    return { result: valid.result };
  }
  if (permission.type !== 'resource') {
    throw invalidDecision(
      permission,
      'it is CONDITIONAL, but the permission is a basic one and has no resources to apply conditions to',
    );
  }
  if (valid.resourceType !== permission.resourceType) {
    throw invalidDecision(
      permission,
      `its conditions are for resource type '${valid.resourceType}', but the permission is for '${permission.resourceType}'`,
    );
  }
  const { pluginId, resourceType, conditions } = valid;
  return { result: valid.result, pluginId, resourceType, conditions };
}

function invalidDecision(
  permission: Permission,
  why: string,
): PermissionBackendError {
  return new PermissionBackendError(
    'POLICY_DECISION_INVALID',
    `The permission policy answered permission '${permission.name}' with an invalid decision: ${why}. Fix the policy; the request is not decided.`,
  );
}
