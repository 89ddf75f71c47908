import {
  httpRouterServiceFactory,
  urlReaderServiceFactory,
} from '@plinth/backend-defaults';
import type { ServiceFactory } from '@plinth/backend-plugin-api';
import { mockServices } from './mockServices';

/**
 * The factories `startTestBackend` uses for services the test does not
 * provide, apart from the HTTP server and discovery, which it makes
 * itself. The plugin router and the URL reader are the real ones: the
 * router has no outside effects, and the reader reads only what the mock
 * config allows (files below the repository, no http hosts); pass
 * `mockServices.urlReader.factory({ ... })` to serve fixed content.
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
    mockServices.rootHealth.factory(),
    mockServices.cache.factory(),
    httpRouterServiceFactory,
    urlReaderServiceFactory,
  ];
}
