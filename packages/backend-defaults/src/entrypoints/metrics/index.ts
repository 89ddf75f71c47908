export { DefaultMetricsService } from './DefaultMetricsService';
export { metricsServiceFactory } from './metricsServiceFactory';
export {
  DefaultRootMetricsService,
  type DefaultRootMetricsServiceOptions,
  type RootMetricsService,
} from './DefaultRootMetricsService';
export {
  rootMetricsServiceFactory,
  rootMetricsServiceRef,
} from './rootMetricsServiceFactory';
