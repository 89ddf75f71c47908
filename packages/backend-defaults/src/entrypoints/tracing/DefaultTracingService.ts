import {
  context as otelContext,
  propagation as otelPropagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Baggage,
  type Context,
  type Tracer,
} from '@opentelemetry/api';
import type { Request } from 'express';
import type {
  BackstageCredentials,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import type {
  TracingService,
  TracingServiceBaggage,
  TracingServiceContext,
  TracingServiceContextAPI,
  TracingServicePropagationAPI,
  TracingServiceSpan,
  TracingServiceSpanKind,
  TracingServiceSpanOptions,
  TracingServiceSpanStatus,
} from '@plinth/backend-plugin-api/alpha';
import { toError } from '@plinth/errors';
import type { InstrumentationScope } from '../../opentelemetry/readInstrumentationScope';

/**
 * Options for {@link DefaultTracingService.create}.
 *
 * @alpha
 */
export interface DefaultTracingServiceOptions {
  /** The tracer's scope, such as `{ name: 'backstage-plugin-catalog' }`. */
  scope: InstrumentationScope;
  pluginId: string;
  /** Reads the credentials of a span's `request` option. */
  httpAuth: HttpAuthService;
  /**
   * Put the user entity ref or service subject on spans as `enduser.id`.
   * @defaultValue `false`: spans carry the principal type only
   */
  captureEndUser?: boolean;
}

/**
 * The default {@link @plinth/backend-plugin-api/alpha#TracingService}: spans
 * of one tracer of OpenTelemetry's global tracer provider, each carrying
 * `backstage.plugin.id` and, when the caller is known,
 * `backstage.principal.type`.
 *
 * @remarks
 * Without an SDK, spans are OpenTelemetry's no-op spans and the context is
 * never active across `await`; with the app's SDK, spans are exported and
 * nest. The context objects handed out are OpenTelemetry's own.
 *
 * @alpha
 */
export class DefaultTracingService implements TracingService {
  readonly #tracer: Tracer;
  readonly #pluginId: string;
  readonly #httpAuth: HttpAuthService;
  readonly #captureEndUser: boolean;

  readonly context: TracingServiceContextAPI = {
    active: () => fromOtel(otelContext.active()),
    // `with` activates the context for the synchronous part of `fn`; the
    // SDK's async context manager carries it across `fn`'s awaits.
    with: async (ctx, fn) => otelContext.with(toOtel(ctx), fn),
  };

  readonly propagation: TracingServicePropagationAPI = {
    extract: (ctx, carrier) =>
      fromOtel(otelPropagation.extract(toOtel(ctx), carrier)),
    getBaggage: ctx => toBaggage(otelPropagation.getBaggage(toOtel(ctx))),
    getActiveBaggage: () => toBaggage(otelPropagation.getActiveBaggage()),
  };

  /**
   * Creates the spans of the tracer named `options.scope.name`.
   *
   * @example
   * ```ts
   * const tracing = DefaultTracingService.create({ scope: { name: 'backstage-plugin-todo' }, pluginId: 'todo', httpAuth });
   * await tracing.startActiveSpan('todo.refresh', async span => { span.setAttribute('todo.count', 3); });
   * ```
   */
  static create(options: DefaultTracingServiceOptions): DefaultTracingService {
    return new DefaultTracingService(options);
  }

  private constructor(options: DefaultTracingServiceOptions) {
    const { name, version, schemaUrl } = options.scope;
    this.#tracer = trace
      .getTracerProvider()
      .getTracer(name, version, { schemaUrl });
    this.#pluginId = options.pluginId;
    this.#httpAuth = options.httpAuth;
    this.#captureEndUser = options.captureEndUser ?? false;
  }

  /**
   * Runs `fn` in a new active span. When `fn` throws, the span records the
   * exception with status `error` and `error.type`, and the error is
   * rethrown.
   *
   * @throws what `fn` throws, or what `httpAuth.credentials()` throws for
   *   the `request` option.
   */
  startActiveSpan<T>(
    name: string,
    fn: (span: TracingServiceSpan) => T | Promise<T>,
  ): Promise<T>;
  startActiveSpan<T>(
    name: string,
    options: TracingServiceSpanOptions,
    fn: (span: TracingServiceSpan) => T | Promise<T>,
  ): Promise<T>;
  async startActiveSpan<T>(
    name: string,
    optionsOrFn:
      | TracingServiceSpanOptions
      | ((span: TracingServiceSpan) => T | Promise<T>),
    maybeFn?: (span: TracingServiceSpan) => T | Promise<T>,
  ): Promise<T> {
    const [options, fn] =
      typeof optionsOrFn === 'function'
        ? [{}, optionsOrFn]
        : [optionsOrFn, maybeFn!];
    const credentials =
      options.credentials ??
      (options.request
        ? await this.#httpAuth.credentials(options.request as Request)
        : undefined);
    const attributes: Attributes = {
      'backstage.plugin.id': this.#pluginId,
      ...options.attributes,
      ...this.#principalAttributes(credentials),
    };
    return this.#tracer.startActiveSpan(
      name,
      { kind: spanKinds[options.kind ?? 'internal'], attributes },
      async span => {
        try {
          const result = await fn({
            setAttribute: (key, value) => {
              span.setAttribute(key, value);
            },
            setStatus: ({ code, message }: TracingServiceSpanStatus) => {
              span.setStatus({ code: statusCodes[code], message });
            },
          });
          return result;
        } catch (thrown) {
          const error = toError(thrown);
          span.recordException(error);
          span.setAttribute('error.type', error.name || 'Error');
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: error.message,
          });
          throw thrown;
        } finally {
          span.end();
        }
      },
    );
  }

  #principalAttributes(credentials?: BackstageCredentials): Attributes {
    const principal = credentials?.principal as
      { type?: string; userEntityRef?: string; subject?: string } | undefined;
    if (!principal?.type) {
      return {};
    }
    const attributes: Attributes = {
      'backstage.principal.type': principal.type,
    };
    const endUser =
      principal.type === 'user' ? principal.userEntityRef : principal.subject;
    if (this.#captureEndUser && endUser && principal.type !== 'none') {
      attributes['enduser.id'] = endUser;
    }
    return attributes;
  }
}

const spanKinds: Record<TracingServiceSpanKind, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

const statusCodes: Record<TracingServiceSpanStatus['code'], SpanStatusCode> = {
  unset: SpanStatusCode.UNSET,
  ok: SpanStatusCode.OK,
  error: SpanStatusCode.ERROR,
};

// The service's context type is opaque to callers; underneath it is
// OpenTelemetry's, so contexts pass between this service and code that
// uses `@opentelemetry/api` directly.
function toOtel(ctx: TracingServiceContext): Context {
  return ctx as unknown as Context;
}

function fromOtel(ctx: Context): TracingServiceContext {
  return ctx as unknown as TracingServiceContext;
}

function toBaggage(
  baggage: Baggage | undefined,
): TracingServiceBaggage | undefined {
  return (
    baggage && {
      getAllEntries: () =>
        baggage
          .getAllEntries()
          .map(([key, entry]) => [key, { value: entry.value }]),
    }
  );
}
