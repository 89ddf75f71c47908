import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type ServiceFactory,
} from '@plinth/backend-plugin-api';
import { rootStartupTimesServiceRef } from '@plinth/backend-app-api';
import {
  DefaultRootMetricsService,
  type RootMetricsService,
} from './DefaultRootMetricsService';

/**
 * The backend's own metrics and its Prometheus endpoint; the root HTTP
 * router, the database service and every plugin's metrics service depend
 * on it, so the meter provider is in place before any meter is taken.
 * Without a factory of its own the backend uses
 * {@link rootMetricsServiceFactory}.
 *
 * @alpha
 */
export const rootMetricsServiceRef = createServiceRef<RootMetricsService>({
  id: 'alpha.core.rootMetrics',
  scope: 'root',
  defaultFactory: async (): Promise<ServiceFactory> =>
    rootMetricsServiceFactory,
});

/**
 * The default {@link rootMetricsServiceRef}: a
 * {@link DefaultRootMetricsService} configured by `backend.metrics`.
 *
 * @example
 * ```ts
 * backend.add(rootMetricsServiceFactory); // already the default
 * ```
 * @alpha
 */
export const rootMetricsServiceFactory = createServiceFactory({
  service: rootMetricsServiceRef,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.rootLifecycle,
    logger: coreServices.rootLogger,
    startupTimes: rootStartupTimesServiceRef,
  },
  factory: deps => DefaultRootMetricsService.create(deps),
});
