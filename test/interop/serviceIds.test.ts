import { defaultServiceFactories as backstageDefaultServiceFactories } from '@backstage/backend-defaults';
import { coreServices as backstageCoreServices } from '@backstage/backend-plugin-api';
import * as backstageAlpha from '@backstage/backend-plugin-api/alpha';
import { createSpecializedBackend } from '@plinth/backend-app-api';
import { defaultServiceFactories } from '@plinth/backend-defaults';
import {
  createBackendPlugin,
  createServiceRef,
} from '@plinth/backend-plugin-api';

// The acceptance test of the service list: every core service a plugin may
// ask for on Backstage's createBackend() must be there on Plinth's. The
// Backstage side is read from the installed packages, so bumping their
// pinned versions in package.json re-checks the list.

interface ServiceRefLike {
  id: string;
  scope: 'root' | 'plugin';
}

function isServiceRef(value: unknown): value is ServiceRefLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { $$type?: unknown }).$$type === '@backstage/ServiceRef'
  );
}

/** The ids this test holds Plinth to: core, alpha core and the events service. */
function isComparedId(id: string): boolean {
  return /^(alpha\.)?core\./.test(id) || id === 'events.service';
}

/**
 * Every service ref Backstage's `createBackend()` makes available: those of
 * its default factory list and the core refs of the plugin API (some, such
 * as `core.pluginMetadata`, come from its engine rather than a factory).
 */
function readBackstageServiceRefs(): Map<string, ServiceRefLike> {
  const refs = new Map<string, ServiceRefLike>();
  const candidates = [
    ...backstageDefaultServiceFactories.map(factory => factory.service),
    ...Object.values(backstageCoreServices),
    ...Object.values(backstageAlpha),
  ];
  for (const candidate of candidates) {
    if (isServiceRef(candidate) && isComparedId(candidate.id)) {
      refs.set(candidate.id, { id: candidate.id, scope: candidate.scope });
    }
  }
  return refs;
}

/**
 * Whether Plinth's engine provides the service without any factory, as it
 * does `core.pluginMetadata`: a backend with no default factories starts a
 * plugin that depends on it, or refuses to.
 */
async function isProvidedByPlinthEngine(ref: ServiceRefLike) {
  const backend = createSpecializedBackend({
    defaultServiceFactories: [],
    handleSignals: false,
  });
  backend.add(
    createBackendPlugin({
      pluginId: 'probe',
      register(env) {
        env.registerInit({
          deps: {
            service:
              ref.scope === 'root'
                ? createServiceRef({ id: ref.id, scope: 'root' })
                : createServiceRef({ id: ref.id, scope: 'plugin' }),
          },
          async init() {},
        });
      },
    }),
  );
  try {
    await backend.start();
    return true;
  } catch {
    return false;
  } finally {
    await backend.stop();
  }
}

describe("Plinth's createBackend()", () => {
  const backstageRefs = readBackstageServiceRefs();

  it('reads a plausible service list from the installed Backstage packages', () => {
    // Guards the comparison below against reading nothing, such as after a
    // change in how Backstage exports its factories.
    expect([...backstageRefs.keys()]).toEqual(
      expect.arrayContaining([
        'core.rootConfig',
        'core.pluginMetadata',
        'core.auditor',
        'alpha.core.actions',
        'events.service',
      ]),
    );
  });

  it("provides every core, alpha core and events service that Backstage's createBackend() provides", async () => {
    const fromFactories = new Set(
      defaultServiceFactories.map(factory => factory.service.id),
    );
    const missing: string[] = [];
    for (const ref of backstageRefs.values()) {
      if (
        !fromFactories.has(ref.id) &&
        !(await isProvidedByPlinthEngine(ref))
      ) {
        missing.push(ref.id);
      }
    }
    expect(missing.sort()).toEqual([]);
  });
});
