import {
  cacheServiceFactory,
  httpRouterServiceFactory,
  rootHealthServiceFactory,
  urlReaderServiceFactory,
} from '@plinth/backend-defaults';
import type { ServiceFactory } from '@plinth/backend-plugin-api';
import { mockServices } from './mockServices';

/**
 * The factories `startTestBackend` uses for services the test does not
 * provide, apart from the HTTP server and discovery, which it makes
 * itself. Services without outside effects (health, the plugin router,
 * the memory cache, file reading) are the real ones.
 */
export function defaultMockServiceFactories(): ServiceFactory[] {
  return [
    mockServices.rootConfig.factory(),
    mockServices.rootLogger.factory(),
    mockServices.logger.factory(),
    mockServices.rootLifecycle.factory(),
    mockServices.lifecycle.factory(),
    mockServices.auth.factory(),
    mockServices.httpAuth.factory(),
    mockServices.userInfo.factory(),
    mockServices.scheduler.factory(),
    mockServices.database.factory(),
    rootHealthServiceFactory,
    httpRouterServiceFactory,
    cacheServiceFactory,
    urlReaderServiceFactory,
  ];
}
