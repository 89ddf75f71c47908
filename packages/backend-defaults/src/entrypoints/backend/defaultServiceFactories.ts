import type { ServiceFactory } from '@plinth/backend-plugin-api';
import { authServiceFactory } from '../auth';
import { cacheServiceFactory } from '../cache';
import { databaseServiceFactory } from '../database';
import { discoveryServiceFactory } from '../discovery';
import { httpAuthServiceFactory } from '../httpAuth';
import { httpRouterServiceFactory } from '../httpRouter';
import { lifecycleServiceFactory } from '../lifecycle';
import { loggerServiceFactory } from '../logger';
import { rootConfigServiceFactory } from '../rootConfig';
import { rootHealthServiceFactory } from '../rootHealth';
import { rootHttpRouterServiceFactory } from '../rootHttpRouter';
import { rootLifecycleServiceFactory } from '../rootLifecycle';
import { rootLoggerServiceFactory } from '../rootLogger';
import { schedulerServiceFactory } from '../scheduler';
import { urlReaderServiceFactory } from '../urlReader';
import { userInfoServiceFactory } from '../userInfo';

/**
 * The factory of every core service that `createBackend()` provides, in
 * one list; `pluginMetadata` and `rootInstanceMetadata` come from the
 * engine itself.
 *
 * @public
 */
export const defaultServiceFactories: readonly ServiceFactory[] = [
  rootConfigServiceFactory,
  rootLoggerServiceFactory,
  loggerServiceFactory,
  rootLifecycleServiceFactory,
  lifecycleServiceFactory,
  rootHealthServiceFactory,
  rootHttpRouterServiceFactory,
  httpRouterServiceFactory,
  authServiceFactory,
  httpAuthServiceFactory,
  userInfoServiceFactory,
  databaseServiceFactory,
  schedulerServiceFactory,
  discoveryServiceFactory,
  urlReaderServiceFactory,
  cacheServiceFactory,
];
