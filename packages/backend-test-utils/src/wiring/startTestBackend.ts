import {
  createSpecializedBackend,
  type Backend,
} from '@plinth/backend-app-api';
import type { BackendFeature } from '@plinth/backend-plugin-api';
import { defaultMockServiceFactories } from '../services/defaultMockServiceFactories';

/**
 * Options for {@link startTestBackend}.
 *
 * @public
 */
export interface StartTestBackendOptions {
  /**
   * Plugins, modules and service factories to start; factories replace the
   * mock defaults for their services.
   * @defaultValue `[]`
   */
  features?: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
}

/**
 * A started test backend.
 *
 * @public
 */
export interface TestBackend {
  /** Runs the shutdown hooks; also done after the test file's last test. */
  stop(): Promise<void>;
}

const started = new Set<Backend>();

/**
 * Starts a backend in-process with mock core services, for integration
 * tests of plugins and modules. Backends still running after the test
 * file's last test are stopped.
 *
 * @example
 * ```ts
 * const backend = await startTestBackend({ features: [examplePlugin] });
 * // ...assertions...
 * await backend.stop();
 * ```
 * @throws {@link @plinth/backend-app-api#BackendValidationError} when the
 *   features do not fit together; {@link @plinth/backend-app-api#BackendStartupError}
 *   when plugins or modules fail to start.
 * @public
 */
export async function startTestBackend(
  options: StartTestBackendOptions = {},
): Promise<TestBackend> {
  const backend = createSpecializedBackend({
    defaultServiceFactories: defaultMockServiceFactories(),
    handleSignals: false,
  });
  for (const feature of options.features ?? []) {
    backend.add(feature);
  }
  await backend.start();
  started.add(backend);
  return {
    stop: async () => {
      started.delete(backend);
      await backend.stop();
    },
  };
}

// Registered only under a test runner that has a global afterAll, such as Jest.
const registerAfterAll = (
  globalThis as {
    afterAll?: (fn: () => Promise<void>) => void;
  }
).afterAll;
if (typeof registerAfterAll === 'function') {
  registerAfterAll(async () => {
    const backends = [...started];
    started.clear();
    await Promise.all(backends.map(b => b.stop()));
  });
}
