import { metrics, type Meter } from '@opentelemetry/api';
import type {
  MetricAttributes,
  MetricOptions,
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceGauge,
  MetricsServiceHistogram,
  MetricsServiceObservableCounter,
  MetricsServiceObservableGauge,
  MetricsServiceObservableUpDownCounter,
  MetricsServiceUpDownCounter,
} from '@plinth/backend-plugin-api/alpha';
import type { InstrumentationScope } from '../../opentelemetry/readInstrumentationScope';

/**
 * The default {@link @plinth/backend-plugin-api/alpha#MetricsService}: the
 * instruments of one meter of OpenTelemetry's global meter provider.
 *
 * @remarks
 * The meter is taken from the global meter provider when the service is
 * created, at plugin start-up: an app registers its OpenTelemetry SDK
 * before it creates the backend (as Backstage's `instrumentation.js`
 * does), and without an SDK the instruments are OpenTelemetry's no-ops.
 *
 * @alpha
 */
export class DefaultMetricsService implements MetricsService {
  readonly #meter: Meter;

  /**
   * Creates the instruments of the meter named `scope.name`.
   *
   * @example
   * ```ts
   * const service = DefaultMetricsService.create({ name: 'backstage-plugin-todo' });
   * service.createCounter('todo.created', { unit: '{todo}' }).add(1);
   * ```
   */
  static create(scope: InstrumentationScope): DefaultMetricsService {
    return new DefaultMetricsService(scope);
  }

  private constructor(scope: InstrumentationScope) {
    this.#meter = metrics.getMeter(scope.name, scope.version, {
      schemaUrl: scope.schemaUrl,
    });
  }

  createCounter<TAttributes extends MetricAttributes = MetricAttributes>(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceCounter<TAttributes> {
    return this.#meter.createCounter<TAttributes>(name, opts);
  }

  createUpDownCounter<TAttributes extends MetricAttributes = MetricAttributes>(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceUpDownCounter<TAttributes> {
    return this.#meter.createUpDownCounter<TAttributes>(name, opts);
  }

  createHistogram<TAttributes extends MetricAttributes = MetricAttributes>(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceHistogram<TAttributes> {
    return this.#meter.createHistogram<TAttributes>(name, opts);
  }

  createGauge<TAttributes extends MetricAttributes = MetricAttributes>(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceGauge<TAttributes> {
    return this.#meter.createGauge<TAttributes>(name, opts);
  }

  createObservableCounter<
    TAttributes extends MetricAttributes = MetricAttributes,
  >(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceObservableCounter<TAttributes> {
    return this.#meter.createObservableCounter<TAttributes>(name, opts);
  }

  createObservableUpDownCounter<
    TAttributes extends MetricAttributes = MetricAttributes,
  >(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceObservableUpDownCounter<TAttributes> {
    return this.#meter.createObservableUpDownCounter<TAttributes>(name, opts);
  }

  createObservableGauge<
    TAttributes extends MetricAttributes = MetricAttributes,
  >(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceObservableGauge<TAttributes> {
    return this.#meter.createObservableGauge<TAttributes>(name, opts);
  }
}
