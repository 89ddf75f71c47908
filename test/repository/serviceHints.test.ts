import { knownServiceProviders } from '@plinth/backend-app-api';
import { defaultServiceFactories } from '@plinth/backend-defaults';

/**
 * The missing-service hint names a factory and the package that exports
 * it. A hint that names a factory nobody exports sends the reader on a
 * search for nothing, so each one is imported here and checked to provide
 * the service it is named for.
 */
const namedFactories = Object.entries(knownServiceProviders).flatMap(
  ([id, provider]) =>
    provider.kind === 'factory'
      ? [[id, provider.factory, provider.from] as const]
      : [],
);

describe('knownServiceProviders', () => {
  it.each(namedFactories)(
    "names for '%s' a factory %s that '%s' exports",
    (id, factory, from) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = (require(from) as Record<string, unknown>)[factory] as
        | { service?: { id?: string } }
        | undefined;
      expect(exported?.service?.id).toBe(id);
    },
  );

  it("names the very factories createBackend() installs, so a hint's fix matches the default", () => {
    const defaultIds = new Set(defaultServiceFactories.map(f => f.service.id));
    for (const [id] of namedFactories) {
      expect({ id, installed: defaultIds.has(id) }).toEqual({
        id,
        installed: true,
      });
    }
  });
});
