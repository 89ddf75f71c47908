import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { apiTokensServiceRef } from '@plinth/backend-plugin-api/alpha';
import {
  createAuthRootContext,
  type DevelopmentTokenListener,
} from './createAuthRootContext';
import { DefaultAuthService } from './DefaultAuthService';

/**
 * Options for {@link createAuthServiceFactory}.
 *
 * @public
 */
export interface CreateAuthServiceFactoryOptions {
  /**
   * Called once with the development token when
   * `backend.auth.developmentToken` is on, before any plugin starts.
   * @defaultValue none: the token is only logged
   */
  onDevelopmentToken?: DevelopmentTokenListener;
}

/**
 * Builds the default auth service factory with options, for an assembled
 * backend that wants to do more with the development token than log it.
 *
 * @example
 * ```ts
 * backend.add(
 *   createAuthServiceFactory({
 *     onDevelopmentToken: ({ token }) => fs.writeFile('.dev-token', token),
 *   }),
 * );
 * ```
 * @public
 */
export function createAuthServiceFactory(
  options?: CreateAuthServiceFactoryOptions,
) {
  return createServiceFactory({
    service: coreServices.auth,
    deps: {
      config: coreServices.rootConfig,
      logger: coreServices.rootLogger,
      pluginMetadata: coreServices.pluginMetadata,
      apiTokens: apiTokensServiceRef,
      instanceMetadata: coreServices.rootInstanceMetadata,
    },
    // Created for every plugin at start-up, so invalid auth config fails
    // the start and the development token is logged before any request.
    initialization: 'always',
    createRootContext: async ({
      config,
      logger,
      apiTokens,
      instanceMetadata,
    }) =>
      createAuthRootContext({
        config,
        logger,
        apiTokens,
        onDevelopmentToken: options?.onDevelopmentToken,
        pluginIds: (await instanceMetadata.getInstalledPlugins()).map(
          plugin => plugin.pluginId,
        ),
      }),
    factory: ({ pluginMetadata }, context) =>
      DefaultAuthService.create({ pluginId: pluginMetadata.getId(), context }),
  });
}

/**
 * The default {@link @plinth/backend-plugin-api#AuthService}: plugin tokens
 * signed with `backend.auth.keys` (or a per-process Ed25519 key), static
 * tokens from `backend.auth.externalAccess`, API tokens of
 * `alpha.core.apiTokens` (`@plinth/backend-defaults/apiTokens`), and user
 * tokens from an identity provider that shares a key.
 *
 * @example
 * ```ts
 * backend.add(authServiceFactory);
 * ```
 * @public
 */
export const authServiceFactory = createAuthServiceFactory();
