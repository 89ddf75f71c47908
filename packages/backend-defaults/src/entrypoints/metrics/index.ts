export { DefaultMetricsService } from './DefaultMetricsService';
export { metricsServiceFactory } from './metricsServiceFactory';
