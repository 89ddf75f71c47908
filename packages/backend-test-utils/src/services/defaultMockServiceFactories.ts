import type { ServiceFactory } from '@plinth/backend-plugin-api';
import { mockServices } from './mockServices';

/**
 * The factories `startTestBackend` uses for services the test does not
 * provide.
 */
export function defaultMockServiceFactories(): ServiceFactory[] {
  return [
    mockServices.rootConfig.factory(),
    mockServices.rootLogger.factory(),
    mockServices.logger.factory(),
    mockServices.rootLifecycle.factory(),
    mockServices.lifecycle.factory(),
  ];
}
