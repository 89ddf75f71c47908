import type { Request } from 'express';
import type { BackstageCredentials } from './AuthService';

/**
 * A value a span may carry under an attribute key.
 *
 * @alpha
 */
export type TracingServiceAttributeValue =
  | string
  | number
  | boolean
  | Array<null | undefined | string>
  | Array<null | undefined | number>
  | Array<null | undefined | boolean>;

/**
 * The attributes of a span.
 *
 * @alpha
 */
export interface TracingServiceAttributes {
  [key: string]: TracingServiceAttributeValue | undefined;
}

/**
 * What kind of operation a span stands for.
 *
 * @alpha
 */
export type TracingServiceSpanKind =
  'internal' | 'server' | 'client' | 'producer' | 'consumer';

/**
 * How a span's operation ended.
 *
 * @alpha
 */
export interface TracingServiceSpanStatus {
  code: 'unset' | 'ok' | 'error';
  message?: string;
}

/**
 * The span `startActiveSpan` runs its callback in, for adding attributes
 * or a status from inside.
 *
 * @alpha
 */
export interface TracingServiceSpan {
  setAttribute(key: string, value: TracingServiceAttributeValue): void;
  setStatus(status: TracingServiceSpanStatus): void;
}

/**
 * Options for {@link TracingService.startActiveSpan}.
 *
 * @alpha
 */
export interface TracingServiceSpanOptions {
  attributes?: TracingServiceAttributes;
  /** @defaultValue `'internal'` */
  kind?: TracingServiceSpanKind;
  /** Whose work the span records; preferred over `request`. */
  credentials?: BackstageCredentials;
  /** A request whose credentials say whose work the span records. */
  // Any request a route handler holds fits, whatever its params and body,
  // as in Backstage's contract.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request?: Request<any, any, any, any, any>;
}

/**
 * An opaque tracing context: the active span and propagated fields.
 *
 * @alpha
 */
export interface TracingServiceContext {
  readonly $$type: '@backstage/TracingServiceContext';
}

/**
 * One propagated baggage entry.
 *
 * @alpha
 */
export interface TracingServiceBaggageEntry {
  value: string;
}

/**
 * The baggage entries of a context, read-only.
 *
 * @alpha
 */
export interface TracingServiceBaggage {
  getAllEntries(): Array<[string, TracingServiceBaggageEntry]>;
}

/**
 * Reads the active tracing context, or runs work in a given one.
 *
 * @alpha
 */
export interface TracingServiceContextAPI {
  active(): TracingServiceContext;
  with<T>(context: TracingServiceContext, fn: () => T | Promise<T>): Promise<T>;
}

/**
 * Reads a caller's trace parent and baggage from a carrier such as HTTP
 * headers, where automatic propagation does not reach.
 *
 * @alpha
 */
export interface TracingServicePropagationAPI {
  extract(
    context: TracingServiceContext,
    carrier: Record<string, string | string[] | undefined>,
  ): TracingServiceContext;
  getBaggage(context: TracingServiceContext): TracingServiceBaggage | undefined;
  getActiveBaggage(): TracingServiceBaggage | undefined;
}

/**
 * Records a plugin's work as trace spans. The default implementation
 * traces through OpenTelemetry's global tracer provider, so spans go
 * wherever the app's OpenTelemetry SDK sends them, and nowhere without one.
 *
 * @alpha
 */
export interface TracingService {
  /** Runs `fn` in a new active span, which ends when `fn` settles. */
  startActiveSpan<T>(
    name: string,
    fn: (span: TracingServiceSpan) => T | Promise<T>,
  ): Promise<T>;
  startActiveSpan<T>(
    name: string,
    options: TracingServiceSpanOptions,
    fn: (span: TracingServiceSpan) => T | Promise<T>,
  ): Promise<T>;
  readonly context: TracingServiceContextAPI;
  readonly propagation: TracingServicePropagationAPI;
}
