import {
  coreServices,
  createServiceFactory,
  type Config,
} from '@plinth/backend-plugin-api';
import { ConfigReader } from '../../config';
import { InvalidConfigError } from '../../errors';
import { readSizeFromConfig } from '../../config';
import { SecretRedactor } from '../rootLogger/SecretRedactor';
import {
  DefaultHttpRouterService,
  defaultRequestInputLimits,
} from './DefaultHttpRouterService';
import type { RequestInputLimits } from './createRequestInputParser';

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
      inputLimits: readInputLimits(config),
      // Keys the schemas mark secret only: the data plugins serve may hold
      // the substituted host, port or URL of some other setting.
      responseRedactor: SecretRedactor.forConfig(config, {
        declaredOnly: true,
      }),
    };
  },
  factory: (
    deps,
    { disableDefaultAuthPolicy, inputLimits, responseRedactor },
  ) =>
    DefaultHttpRouterService.create({
      pluginId: deps.pluginMetadata.getId(),
      rootHttpRouter: deps.rootHttpRouter,
      httpAuth: deps.httpAuth,
      disableDefaultAuthPolicy,
      inputLimits,
      responseRedactor,
    }),
});

/**
 * Reads `backend.http.jsonBodyLimit` and `backend.http.jsonBodyMaxDepth`.
 *
 * @throws {@link InvalidConfigError} naming the key when a value is invalid.
 */
function readInputLimits(config: Config): RequestInputLimits {
  const key = 'backend.http.jsonBodyMaxDepth';
  const depth = config.getOptional(key);
  if (
    depth !== undefined &&
    (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1)
  ) {
    throw new InvalidConfigError(
      key,
      ConfigReader.findContext(config, key),
      'an integer of at least 1',
      depth,
    );
  }
  return {
    jsonBodyLimit:
      readSizeFromConfig(config, 'backend.http.jsonBodyLimit') ??
      defaultRequestInputLimits.jsonBodyLimit,
    jsonBodyMaxDepth: depth ?? defaultRequestInputLimits.jsonBodyMaxDepth,
  };
}
