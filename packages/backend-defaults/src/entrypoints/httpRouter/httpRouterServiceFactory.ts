import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { SecretRedactor } from '../rootLogger/SecretRedactor';
import { DefaultHttpRouterService } from './DefaultHttpRouterService';

/**
 * The default `core.httpRouter`: a {@link DefaultHttpRouterService} per
 * plugin, mounted at `/api/<pluginId>` on the root router. With
 * `backend.auth.dangerouslyDisableDefaultAuthPolicy: true` no path needs
 * credentials; a warning says so once per backend.
 *
 * @example
 * ```ts
 * backend.add(httpRouterServiceFactory);
 * ```
 * @public
 */
export const httpRouterServiceFactory = createServiceFactory({
  service: coreServices.httpRouter,
  deps: {
    rootHttpRouter: coreServices.rootHttpRouter,
    httpAuth: coreServices.httpAuth,
    auth: coreServices.auth,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
    config: coreServices.rootConfig,
    rootLogger: coreServices.rootLogger,
  },
  createRootContext({ config, rootLogger }) {
    const disableDefaultAuthPolicy =
      config.getOptionalBoolean(
        'backend.auth.dangerouslyDisableDefaultAuthPolicy',
      ) ?? false;
    if (disableDefaultAuthPolicy) {
      rootLogger.warn(
        "Every plugin route is served without credentials because 'backend.auth.dangerouslyDisableDefaultAuthPolicy' is true; remove it unless this backend is unreachable from untrusted networks.",
      );
    }
    return {
      disableDefaultAuthPolicy,
      // Keys the schemas mark secret only: the data plugins serve may hold
      // the substituted host, port or URL of some other setting.
      responseRedactor: SecretRedactor.forConfig(config, {
        declaredOnly: true,
      }),
    };
  },
  factory: (deps, { disableDefaultAuthPolicy, responseRedactor }) =>
    DefaultHttpRouterService.create({
      pluginId: deps.pluginMetadata.getId(),
      rootHttpRouter: deps.rootHttpRouter,
      httpAuth: deps.httpAuth,
      auth: deps.auth,
      logger: deps.logger,
      disableDefaultAuthPolicy,
      responseRedactor,
    }),
});
