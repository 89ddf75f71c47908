import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, propagation, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  createBackendPlugin,
  type JsonObject,
} from '@plinth/backend-plugin-api';
import {
  tracingServiceRef,
  type TracingService,
} from '@plinth/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { DefaultTracingService } from './DefaultTracingService';
import { tracingServiceFactory } from './tracingServiceFactory';

/** Registers an SDK as an app would, and lists the spans it ended. */
function registerSdk() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return {
    spans: () =>
      exporter.getFinishedSpans().map(span => ({
        name: span.name,
        scope: span.instrumentationScope.name,
        parent: span.parentSpanContext?.spanId,
        id: span.spanContext().spanId,
        traceId: span.spanContext().traceId,
        kind: span.kind,
        status: span.status,
        attributes: span.attributes,
        exceptions: span.events.map(e => e.name),
      })),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

async function tracingOf(
  pluginId: string,
  config: JsonObject = {},
): Promise<{ tracing: TracingService; stop: () => Promise<void> }> {
  let tracing: TracingService | undefined;
  const backend = await startTestBackend({
    features: [
      tracingServiceFactory,
      mockServices.rootConfig.factory({ data: config }),
      createBackendPlugin({
        pluginId,
        register(env) {
          env.registerInit({
            deps: { tracing: tracingServiceRef },
            async init(deps) {
              tracing = deps.tracing;
            },
          });
        },
      }),
    ],
  });
  return { tracing: tracing!, stop: () => backend.stop() };
}

describe('tracingServiceFactory', () => {
  let sdk: ReturnType<typeof registerSdk>;
  beforeEach(() => {
    sdk = registerSdk();
  });
  afterEach(() => sdk.shutdown());

  it("records nested spans in a tracer named after the plugin, with the plugin id and the caller's principal type", async () => {
    const { tracing, stop } = await tracingOf('todo');
    const result = await tracing.startActiveSpan(
      'todo.refresh',
      {
        kind: 'server',
        attributes: { 'todo.list': 'home' },
        credentials: mockCredentials.user('user:default/ada'),
      },
      async outer => {
        outer.setAttribute('todo.count', 3);
        await tracing.startActiveSpan('todo.load', async inner => {
          await new Promise(resolve => setImmediate(resolve));
          inner.setStatus({ code: 'ok' });
        });
        return 'done';
      },
    );
    await stop();
    expect(result).toBe('done');
    const [inner, outer] = sdk.spans();
    expect(outer).toEqual({
      name: 'todo.refresh',
      scope: 'backstage-plugin-todo',
      parent: undefined,
      id: expect.any(String),
      traceId: expect.any(String),
      kind: 1,
      status: { code: 0 },
      attributes: {
        'backstage.plugin.id': 'todo',
        'todo.list': 'home',
        'backstage.principal.type': 'user',
        'todo.count': 3,
      },
      exceptions: [],
    });
    expect(inner).toMatchObject({
      name: 'todo.load',
      parent: outer.id,
      traceId: outer.traceId,
      kind: 0,
      status: { code: 1 },
      attributes: { 'backstage.plugin.id': 'todo' },
    });
  });

  it('ends a span whose callback throws with status error and the exception, and rethrows', async () => {
    const { tracing, stop } = await tracingOf('todo');
    await expect(
      tracing.startActiveSpan('todo.fail', () => {
        throw new TypeError('list is gone');
      }),
    ).rejects.toThrow('list is gone');
    await stop();
    expect(sdk.spans()).toEqual([
      expect.objectContaining({
        name: 'todo.fail',
        status: { code: 2, message: 'list is gone' },
        attributes: {
          'backstage.plugin.id': 'todo',
          'error.type': 'TypeError',
        },
        exceptions: ['exception'],
      }),
    ]);
  });

  it('adds enduser.id and names the tracer as config says', async () => {
    const { tracing, stop } = await tracingOf('todo', {
      backend: {
        tracing: {
          capture: { endUser: true },
          plugin: { todo: { tracer: { name: 'acme-todo' } } },
        },
      },
    });
    await tracing.startActiveSpan(
      'todo.call',
      { credentials: mockCredentials.service('plugin:catalog') },
      () => undefined,
    );
    await stop();
    expect(sdk.spans()).toEqual([
      expect.objectContaining({
        scope: 'acme-todo',
        attributes: {
          'backstage.plugin.id': 'todo',
          'backstage.principal.type': 'service',
          'enduser.id': 'plugin:catalog',
        },
      }),
    ]);
  });

  it("continues a caller's trace extracted from its headers", async () => {
    const { tracing, stop } = await tracingOf('todo');
    const traceparent =
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const callerContext = tracing.propagation.extract(
      tracing.context.active(),
      { traceparent },
    );
    await tracing.context.with(callerContext, () =>
      tracing.startActiveSpan('todo.handle', () => undefined),
    );
    await stop();
    expect(sdk.spans()).toEqual([
      expect.objectContaining({
        name: 'todo.handle',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        parent: '00f067aa0ba902b7',
      }),
    ]);
  });
});

describe('DefaultTracingService', () => {
  it("runs the callback in OpenTelemetry's no-op span when no SDK is registered", async () => {
    const tracing = DefaultTracingService.create({
      scope: { name: 'backstage-plugin-x' },
      pluginId: 'x',
      httpAuth: mockServices.httpAuth(),
    });
    await expect(
      tracing.startActiveSpan('x.work', span => {
        span.setAttribute('x', 1);
        span.setStatus({ code: 'error', message: 'no' });
        return 42;
      }),
    ).resolves.toBe(42);
    expect(tracing.propagation.getActiveBaggage()).toBeUndefined();
  });
});
