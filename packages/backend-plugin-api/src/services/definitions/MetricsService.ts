/**
 * A value a measurement may carry under an attribute key.
 *
 * @alpha
 */
export type MetricAttributeValue =
  | string
  | number
  | boolean
  | Array<null | undefined | string>
  | Array<null | undefined | number>
  | Array<null | undefined | boolean>;

/**
 * The attributes of one measurement, such as `{ kind: 'Component' }`.
 *
 * @alpha
 */
export interface MetricAttributes {
  [attributeKey: string]: MetricAttributeValue | undefined;
}

/**
 * Hints for how the metrics SDK aggregates an instrument.
 *
 * @alpha
 */
export interface MetricAdvice {
  /** The bucket boundaries a histogram should use. */
  explicitBucketBoundaries?: number[];
}

/**
 * Describes an instrument when it is created.
 *
 * @alpha
 */
export interface MetricOptions {
  description?: string;
  /** The unit of the values, in UCUM (`ms`, `By`, `{entity}`). */
  unit?: string;
  advice?: MetricAdvice;
}

/**
 * A sum that only grows, such as requests served.
 *
 * @alpha
 */
export interface MetricsServiceCounter<
  TAttributes extends MetricAttributes = MetricAttributes,
> {
  add(value: number, attributes?: TAttributes): void;
}

/**
 * A sum that grows and shrinks, such as requests in flight.
 *
 * @alpha
 */
export interface MetricsServiceUpDownCounter<
  TAttributes extends MetricAttributes = MetricAttributes,
> {
  add(value: number, attributes?: TAttributes): void;
}

/**
 * A distribution of values, such as request durations.
 *
 * @alpha
 */
export interface MetricsServiceHistogram<
  TAttributes extends MetricAttributes = MetricAttributes,
> {
  record(value: number, attributes?: TAttributes): void;
}

/**
 * A value at the moment it is recorded, such as a queue length.
 *
 * @alpha
 */
export interface MetricsServiceGauge<
  TAttributes extends MetricAttributes = MetricAttributes,
> {
  record(value: number, attributes?: TAttributes): void;
}

/**
 * What an observable instrument's callback reports its values to.
 *
 * @alpha
 */
export interface MetricsServiceObservableResult<
  TAttributes extends MetricAttributes = MetricAttributes,
> {
  observe(value: number, attributes?: TAttributes): void;
}

/**
 * Reports the current values of an observable instrument; called on each
 * collection.
 *
 * @alpha
 */
export type MetricsServiceObservableCallback<
  TAttributes extends MetricAttributes = MetricAttributes,
> = (
  observableResult: MetricsServiceObservableResult<TAttributes>,
) => void | Promise<void>;

/**
 * An instrument whose values are read by callbacks when metrics are
 * collected, rather than recorded as they happen.
 *
 * @alpha
 */
export interface MetricsServiceObservable<
  TAttributes extends MetricAttributes = MetricAttributes,
> {
  addCallback(callback: MetricsServiceObservableCallback<TAttributes>): void;
  removeCallback(callback: MetricsServiceObservableCallback<TAttributes>): void;
}

/**
 * An observable sum that only grows.
 *
 * @alpha
 */
export type MetricsServiceObservableCounter<
  TAttributes extends MetricAttributes = MetricAttributes,
> = MetricsServiceObservable<TAttributes>;

/**
 * An observable sum that grows and shrinks.
 *
 * @alpha
 */
export type MetricsServiceObservableUpDownCounter<
  TAttributes extends MetricAttributes = MetricAttributes,
> = MetricsServiceObservable<TAttributes>;

/**
 * An observable value at the moment of collection.
 *
 * @alpha
 */
export type MetricsServiceObservableGauge<
  TAttributes extends MetricAttributes = MetricAttributes,
> = MetricsServiceObservable<TAttributes>;

/**
 * Creates a plugin's metric instruments. The default implementation
 * records through OpenTelemetry's global meter provider, so the values go
 * wherever the app's OpenTelemetry SDK sends them, and nowhere without one.
 *
 * @alpha
 */
export interface MetricsService {
  createCounter<TAttributes extends MetricAttributes = MetricAttributes>(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceCounter<TAttributes>;
  createUpDownCounter<TAttributes extends MetricAttributes = MetricAttributes>(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceUpDownCounter<TAttributes>;
  createHistogram<TAttributes extends MetricAttributes = MetricAttributes>(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceHistogram<TAttributes>;
  createGauge<TAttributes extends MetricAttributes = MetricAttributes>(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceGauge<TAttributes>;
  createObservableCounter<
    TAttributes extends MetricAttributes = MetricAttributes,
  >(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceObservableCounter<TAttributes>;
  createObservableUpDownCounter<
    TAttributes extends MetricAttributes = MetricAttributes,
  >(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceObservableUpDownCounter<TAttributes>;
  createObservableGauge<
    TAttributes extends MetricAttributes = MetricAttributes,
  >(
    name: string,
    opts?: MetricOptions,
  ): MetricsServiceObservableGauge<TAttributes>;
}
