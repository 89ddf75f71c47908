/**
 * Measures how long the engine takes to validate and start, and then stop,
 * a backend of many plugins, each with modules, extension points and
 * plugin-scoped services. Prints figures; asserts nothing.
 *
 * Usage: yarn bench:engine [plugins] [modulesPerPlugin]
 */
import {
  createSpecializedBackend,
  LifecycleHooks,
} from '@plinth/backend-app-api';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createExtensionPoint,
  createServiceFactory,
  createServiceRef,
  type BackendFeature,
} from '@plinth/backend-plugin-api';
import { ConfigReader } from '@plinth/backend-defaults';

const pluginCount = Number(process.argv[2] ?? 500);
const modulesPerPlugin = Number(process.argv[3] ?? 4);

const storeRef = createServiceRef<{ pluginId: string }>({ id: 'bench.store' });

function buildFeatures(): BackendFeature[] {
  const features: BackendFeature[] = [
    createServiceFactory({
      service: storeRef,
      deps: {
        metadata: coreServices.pluginMetadata,
        config: coreServices.rootConfig,
      },
      factory: ({ metadata }) => ({ pluginId: metadata.getId() }),
    }),
  ];
  for (let p = 0; p < pluginCount; p++) {
    const pluginId = `plugin-${p}`;
    const extensionPoint = createExtensionPoint<{ add(v: string): void }>({
      id: `${pluginId}.things`,
    });
    features.push(
      createBackendPlugin({
        pluginId,
        register(env) {
          const things: string[] = [];
          env.registerExtensionPoint(extensionPoint, {
            add: v => things.push(v),
          });
          env.registerInit({
            deps: { store: storeRef, lifecycle: coreServices.lifecycle },
            async init({ lifecycle }) {
              lifecycle.addShutdownHook(() => {});
            },
          });
        },
      }),
    );
    for (let m = 0; m < modulesPerPlugin; m++) {
      features.push(
        createBackendModule({
          pluginId,
          moduleId: `module-${m}`,
          register(env) {
            env.registerInit({
              deps: { things: extensionPoint, store: storeRef },
              async init({ things }) {
                things.add(`module-${m}`);
              },
            });
          },
        }),
      );
    }
  }
  return features;
}

async function main() {
  const silent = {
    error() {},
    warn() {},
    info() {},
    debug() {},
    child() {
      return silent;
    },
  };
  const backend = createSpecializedBackend({
    handleSignals: false,
    defaultServiceFactories: [
      createServiceFactory({
        service: coreServices.rootConfig,
        deps: {},
        factory: () => new ConfigReader({}),
      }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => silent,
      }),
      createServiceFactory({
        service: coreServices.rootLifecycle,
        deps: {},
        factory: () => LifecycleHooks.create({ owner: 'the root' }),
      }),
      createServiceFactory({
        service: coreServices.lifecycle,
        deps: { metadata: coreServices.pluginMetadata },
        factory: ({ metadata }) =>
          LifecycleHooks.create({ owner: `plugin '${metadata.getId()}'` }),
      }),
    ],
  });
  const features = buildFeatures();
  for (const feature of features) {
    backend.add(feature);
  }
  const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const startAt = process.hrtime.bigint();
  await backend.start();
  const startMs = Number(process.hrtime.bigint() - startAt) / 1e6;
  collectGarbage();
  const heapAfter = process.memoryUsage().heapUsed;
  const stopAt = process.hrtime.bigint();
  await backend.stop();
  const stopMs = Number(process.hrtime.bigint() - stopAt) / 1e6;

  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  process.stdout.write(
    [
      `engine startup: ${pluginCount} plugins x ${modulesPerPlugin} modules (${features.length} features)`,
      `  validate + start: ${startMs.toFixed(1)} ms`,
      `  stop:             ${stopMs.toFixed(1)} ms`,
      `  retained heap:    ${mib(heapAfter - heapBefore)} MiB`,
      `  rss:              ${mib(process.memoryUsage().rss)} MiB`,
      '',
    ].join('\n'),
  );
}

void main();
