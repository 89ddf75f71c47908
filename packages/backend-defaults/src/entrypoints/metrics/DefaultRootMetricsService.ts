import { createNoopMeter, metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type {
  LoggerService,
  RootConfigService,
  RootLifecycleService,
} from '@plinth/backend-plugin-api';
import type { MetricsService } from '@plinth/backend-plugin-api/alpha';
import type { RootStartupTimesService } from '@plinth/backend-app-api';
import type { RequestHandler } from 'express';
import { createMetricsEndpoint } from './createMetricsEndpoint';
import { DefaultMetricsService } from './DefaultMetricsService';

/**
 * The backend's own metrics: a meter for the series no plugin owns, and
 * the Prometheus endpoint.
 *
 * @alpha
 */
export interface RootMetricsService {
  /**
   * Instruments in the meter `plinth-backend`, for series of the whole
   * backend such as `http.server.request.duration`.
   */
  readonly meter: MetricsService;
  /**
   * Answers `GET /metrics` with the Prometheus text of every series, under
   * the access policy of `backend.metrics`; passes every other request on,
   * and this one too when the backend serves no metrics (a 404).
   */
  readonly endpoint: RequestHandler;
}

/**
 * Options for {@link DefaultRootMetricsService.create}.
 *
 * @alpha
 */
export interface DefaultRootMetricsServiceOptions {
  /** Read for `backend.metrics.enabled` and `backend.metrics.token`. */
  config: RootConfigService;
  /** Where the meter provider this service installs is shut down. */
  lifecycle: RootLifecycleService;
  logger: LoggerService;
  /** Reported as `backend.plugin.init.duration`. */
  startupTimes: RootStartupTimesService;
}

/** The instrumentation scope of the series of the whole backend. */
const backendScope = 'plinth-backend';

/**
 * The default {@link RootMetricsService}. Unless `backend.metrics.enabled`
 * is false, it makes sure OpenTelemetry's global meter provider records:
 * when the app registered none before creating the backend, it installs
 * the SDK's `MeterProvider` with a Prometheus reader, read at
 * `GET /metrics`, and shuts it down when the backend stops. A provider the app
 * registered is kept, and every series goes to its exporters instead.
 *
 * @alpha
 */
export class DefaultRootMetricsService implements RootMetricsService {
  readonly meter: MetricsService;
  readonly endpoint: RequestHandler;

  /**
   * Installs the meter provider if needed and creates the backend's
   * instruments.
   *
   * @example
   * ```ts
   * const rootMetrics = DefaultRootMetricsService.create({ config, lifecycle, logger, startupTimes });
   * app.use(rootMetrics.endpoint);
   * ```
   * @throws {@link @plinth/backend-defaults#InvalidConfigError} when a
   *   `backend.metrics` value has the wrong type.
   */
  static create(
    options: DefaultRootMetricsServiceOptions,
  ): DefaultRootMetricsService {
    const { config } = options;
    const logger = options.logger.child({ service: 'metrics' });
    const enabled =
      config.getOptionalBoolean('backend.metrics.enabled') ?? true;
    const token = config.getOptionalString('backend.metrics.token');
    const exporter = enabled
      ? installPrometheusMeterProvider(options.lifecycle, logger)
      : undefined;
    const service = new DefaultRootMetricsService(
      createMetricsEndpoint({ enabled, exporter, token, logger }),
    );
    service.meter
      .createObservableGauge('backend.plugin.init.duration', {
        description:
          'Seconds each plugin took to initialise, its modules included.',
        unit: 's',
      })
      .addCallback(result => {
        for (const [plugin, seconds] of options.startupTimes
          .getPluginInitDurations()
          .entries()) {
          result.observe(seconds, { plugin });
        }
      });
    return service;
  }

  private constructor(endpoint: RequestHandler) {
    // Created after the provider is installed: a meter taken from the
    // global API before that would stay a no-op.
    this.meter = DefaultMetricsService.create({ name: backendScope });
    this.endpoint = endpoint;
  }
}

/**
 * Registers a `MeterProvider` with a Prometheus reader as OpenTelemetry's
 * global one, unless the app registered a provider already.
 *
 * @returns the reader to serve, or undefined when the app's provider is kept.
 */
function installPrometheusMeterProvider(
  lifecycle: RootLifecycleService,
  logger: LoggerService,
): PrometheusExporter | undefined {
  // Without a registered provider the global API hands out its no-op meter.
  if (metrics.getMeterProvider().getMeter(backendScope) !== createNoopMeter()) {
    logger.info(
      "Metrics go to the OpenTelemetry MeterProvider the app registered; 'GET /metrics' is not served.",
    );
    return undefined;
  }
  // The reader only collects when asked; it must never open a port of its
  // own next to the backend's.
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(provider);
  lifecycle.addShutdownHook(
    async () => {
      if (metrics.getMeterProvider() === provider) {
        metrics.disable();
      }
      await provider.shutdown();
    },
    { name: 'shut down the meter provider' },
  );
  return exporter;
}
