import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { actionsServiceRef } from '@plinth/backend-plugin-api/alpha';
import { DefaultActionsService } from './DefaultActionsService';

/**
 * The default {@link @plinth/backend-plugin-api/alpha#ActionsService}: a
 * {@link DefaultActionsService} per plugin, calling the plugins of
 * `backend.actions.pluginSources` with tokens on behalf of the caller.
 *
 * @example
 * ```ts
 * backend.add(actionsServiceFactory); // createBackend() already does
 * ```
 * @public
 */
export const actionsServiceFactory = createServiceFactory({
  service: actionsServiceRef,
  deps: {
    discovery: coreServices.discovery,
    config: coreServices.rootConfig,
    logger: coreServices.logger,
    auth: coreServices.auth,
  },
  factory: ({ discovery, config, logger, auth }) =>
    DefaultActionsService.create({ discovery, config, logger, auth }),
});
