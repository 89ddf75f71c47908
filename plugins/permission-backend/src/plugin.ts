import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import {
  apiTokensServiceRef,
  permissionsAuthorizerServiceRef,
} from '@plinth/backend-plugin-api/alpha';
import type { PermissionPolicy } from '@plinth/plugin-permission-node';
import {
  policyExtensionPoint,
  type PolicyExtensionPoint,
} from '@plinth/plugin-permission-node/alpha';
import express from 'express';
import { PermissionBackendError } from './errors';
import { apiTokenPermissions } from './service/apiTokenPermissions';
import { createApiTokensRouter } from './service/apiTokensRouter';
import { PermissionIntegrationClient } from './service/PermissionIntegrationClient';
import { PolicyEvaluator } from './service/PolicyEvaluator';
import { createRouter } from './service/router';

/**
 * The permission plugin: serves `POST /api/permission/authorize`
 * (Backstage's wire format) decided by the policy a module installs
 * through `policyExtensionPoint`, and gives the same decisions in-process
 * to the permissions service of every plugin in this backend.
 *
 * Without a policy it refuses to start while `permission.enabled` is
 * true (Backstage refuses always); while it is false it starts, says so at info level,
 * and allows everything, as the permissions service does then.
 *
 * @example
 * ```ts
 * const backend = createBackend();
 * backend.add(import('@plinth/plugin-permission-backend'));
 * backend.add(import('@plinth/plugin-permission-backend-module-owners-policy'));
 * await backend.start();
 * ```
 * @public
 */
export const permissionPlugin = createBackendPlugin({
  pluginId: 'permission',
  register(env) {
    let policy: PermissionPolicy | undefined;
    const extensionPoint: PolicyExtensionPoint = {
      setPolicy(next) {
        if (policy) {
          throw new PermissionBackendError(
            'POLICY_SET_TWICE',
            "A permission policy is installed already; plugin 'permission' takes exactly one. Remove all but one policy module from the backend.",
          );
        }
        policy = next;
      },
    };
    env.registerExtensionPoint(policyExtensionPoint, extensionPoint);

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        discovery: coreServices.discovery,
        authorizer: permissionsAuthorizerServiceRef,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        apiTokens: apiTokensServiceRef,
      },
      async init(deps) {
        const { config, logger, httpRouter, httpAuth, auth } = deps;
        const enabled =
          config.getOptionalBoolean('permission.enabled') ?? false;
        if (!policy && enabled) {
          const error = new PermissionBackendError(
            'POLICY_MISSING',
            "Plugin 'permission' has no policy, and 'permission.enabled' is true. Add a policy module, such as @plinth/plugin-permission-backend-module-owners-policy, or one of your own that calls policyExtensionPoint.setPolicy().",
          );
          // Plugins whose init already waits for this backend's authorizer
          // get the same error, rather than waiting for ever.
          deps.authorizer.setAuthorizer({
            evaluate: () => Promise.reject(error),
          });
          throw error;
        }
        // Info, not warn: allowing everything is app-config.yaml's
        // development default, and production turns it on.
        if (!enabled) {
          logger.info(
            `Plugin 'permission' started with 'permission.enabled' false: every permission request is allowed${policy ? '' : ', and no policy is installed'}. Set 'permission.enabled' to true to enforce the policy.`,
          );
        }
        const evaluator = new PolicyEvaluator({
          policy,
          auth,
          userInfo: deps.userInfo,
          integrationClient: new PermissionIntegrationClient({
            auth,
            discovery: deps.discovery,
          }),
          wiring: deps.authorizer,
        });
        deps.authorizer.setAuthorizer(evaluator);
        httpRouter.use(createRouter({ evaluator, auth, httpAuth, config }));
        deps.permissionsRegistry.addPermissions(apiTokenPermissions);
        httpRouter.use(
          express.Router().use(
            '/tokens',
            createApiTokensRouter({
              config,
              httpAuth,
              permissions: deps.permissions,
              apiTokens: deps.apiTokens,
              auditor: deps.auditor,
              logger,
            }),
          ),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // The permissions service asks about callers without credentials
        // with no token; the policy decides what they may do.
        httpRouter.addAuthPolicy({
          path: '/authorize',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
