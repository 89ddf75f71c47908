import type {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@plinth/backend-plugin-api';
import type { PermissionsAuthorizer } from '@plinth/backend-plugin-api/alpha';
import {
  AuthorizeResult,
  decideByAccessRestrictions,
  findPolicyDecisionProblem,
  type ApplyConditionsRequestEntry,
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

/** Options for {@link PolicyEvaluator}. */
export interface PolicyEvaluatorOptions {
  /** The installed policy; none only while `permission.enabled` is false. */
  policy: PermissionPolicy | undefined;
  auth: AuthService;
  userInfo: UserInfoService;
  integrationClient: PermissionIntegrationClient;
}

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

  constructor(options: PolicyEvaluatorOptions) {
    this.#options = options;
  }

  /**
   * @throws {@link PermissionBackendError} when the policy answers no
   *   valid decision, or conditions cannot be applied.
   */
  async evaluate(
    requests: EvaluatePermissionRequest[],
    options: { credentials: BackstageCredentials },
  ): Promise<PolicyDecision[]> {
    const { credentials } = options;
    const { auth, policy } = this.#options;
    if (auth.isPrincipal(credentials, 'service')) {
      const restrictions = credentials.principal.accessRestrictions;
      return requests.map(r =>
        decideByAccessRestrictions(r.permission, restrictions),
      );
    }
    if (!policy || requests.length === 0) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
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
    const [info, { token }] = await Promise.all([
      userInfo.getUserInfo(credentials),
      // Backstage makes it for the catalog: the plugin policies most often
      // call, to look up what the user owns.
      auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'catalog',
      }),
    ]);
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

  /** Applies the conditions of decisions for named resources, per plugin. */
  async #resolveConditions(
    requests: EvaluatePermissionRequest[],
    decisions: PolicyDecision[],
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision[]> {
    const byPlugin = new Map<string, ApplyConditionsRequestEntry[]>();
    for (const [index, decision] of decisions.entries()) {
      const { resourceRef } = requests[index];
      if (decision.result === AuthorizeResult.CONDITIONAL && resourceRef) {
        const entries = byPlugin.get(decision.pluginId) ?? [];
        entries.push({
          id: String(index),
          resourceRef,
          resourceType: decision.resourceType,
          conditions: decision.conditions,
        });
        byPlugin.set(decision.pluginId, entries);
      }
    }
    const resolved = [...decisions];
    await Promise.all(
      [...byPlugin].map(async ([pluginId, entries]) => {
        const results = await this.#options.integrationClient.applyConditions(
          pluginId,
          credentials,
          entries,
        );
        for (const [i, entry] of entries.entries()) {
          resolved[Number(entry.id)] = results[i];
        }
      }),
    );
    return resolved;
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
