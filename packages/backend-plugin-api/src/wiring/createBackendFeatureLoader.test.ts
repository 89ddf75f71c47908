import { createServiceFactory } from '../services/createServiceFactory';
import { createServiceRef } from '../services/createServiceRef';
import { createBackendFeatureLoader } from './createBackendFeatureLoader';
import type { InternalBackendFeatureLoader } from './createBackendFeatureLoader';
import { createBackendPlugin } from './createBackendPlugin';

const plugin = (pluginId: string) =>
  createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({ deps: {}, async init() {} });
    },
  });

/** Runs a loader the way an engine does: through its internal loader(). */
const run = (feature: unknown, deps: Record<string, unknown> = {}) =>
  (feature as InternalBackendFeatureLoader).loader(deps);

describe('createBackendFeatureLoader', () => {
  it('rejects a loader that is not a function', () => {
    expect(() => createBackendFeatureLoader({ loader: 'x' } as never)).toThrow(
      /^createBackendFeatureLoader\(\) needs a loader function, got the string 'x' \(feature loader created at packages\/backend-plugin-api\/src\/wiring\/createBackendFeatureLoader\.test\.ts:\d+:\d+\)\.$/,
    );
  });

  it('records where it was created, since loaders have no id', () => {
    const loader = createBackendFeatureLoader({
      *loader() {},
    }) as InternalBackendFeatureLoader;
    expect(loader.description).toMatch(
      /^created at packages\/backend-plugin-api\/src\/wiring\/createBackendFeatureLoader\.test\.ts:\d+:\d+$/,
    );
    expect(loader).toMatchObject({
      featureType: 'loader',
      version: 'v1',
      deps: {},
    });
  });

  describe('the loader engines call', () => {
    const a = plugin('a');
    const b = plugin('b');
    const c = plugin('c');

    it('resolves a sync generator of features and imports to an array of features', async () => {
      const loader = createBackendFeatureLoader({
        *loader() {
          yield a;
          yield Promise.resolve({ default: b });
          yield Promise.resolve({ default: { default: c } }) as never;
        },
      });
      await expect(run(loader)).resolves.toEqual([a, b, c]);
    });

    it('resolves an async generator, and an async function returning an array', async () => {
      const fromGenerator = createBackendFeatureLoader({
        async *loader() {
          yield { default: a };
          yield b;
        },
      });
      const fromArray = createBackendFeatureLoader({
        loader: async () => [Promise.resolve({ default: c }), a],
      });
      await expect(run(fromGenerator)).resolves.toEqual([a, b]);
      await expect(run(fromArray)).resolves.toEqual([c, a]);
    });

    it('hands the loader its resolved deps', async () => {
      const ref = createServiceRef<string>({ id: 'x.name', scope: 'root' });
      const factory = createServiceFactory({
        service: ref,
        deps: {},
        factory: () => 'x',
      });
      const loader = createBackendFeatureLoader({
        deps: { name: ref },
        *loader({ name }) {
          if (name === 'chosen') {
            yield factory;
          }
        },
      });
      await expect(run(loader, { name: 'chosen' })).resolves.toEqual([factory]);
      await expect(run(loader, { name: 'other' })).resolves.toEqual([]);
    });

    it('keeps items that are not features, for the engine to describe', async () => {
      const loader = createBackendFeatureLoader({
        *loader() {
          yield 'catalog' as never;
          yield Promise.resolve({ plugin: a }) as never;
        },
      });
      await expect(run(loader)).resolves.toEqual(['catalog', { plugin: a }]);
    });

    it('rejects with the error of the first import that fails, after every import settled', async () => {
      const unhandled = jest.fn();
      process.on('unhandledRejection', unhandled);
      try {
        let lateSettled = false;
        const late = new Promise<{ default: typeof a }>(resolve =>
          setTimeout(() => {
            lateSettled = true;
            resolve({ default: a });
          }, 10),
        );
        const loader = createBackendFeatureLoader({
          loader: () => [
            late,
            Promise.reject(new Error("Cannot find module './search'")) as never,
          ],
        });
        await expect(run(loader)).rejects.toThrow(
          "Cannot find module './search'",
        );
        expect(lateSettled).toBe(true);
        expect(unhandled).not.toHaveBeenCalled();
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    });

    it('rejects a loader that returns no iterable', async () => {
      const loader = createBackendFeatureLoader({
        loader: (() => undefined) as never,
      });
      await expect(run(loader)).rejects.toThrow(
        'The loader returned undefined, not an iterable of features; return an array, or write the loader as a generator that yields features or import()s.',
      );
    });

    it("passes on what the author's loader throws", async () => {
      const loader = createBackendFeatureLoader({
        loader() {
          throw new Error('config unreadable');
        },
      });
      await expect(run(loader)).rejects.toThrow('config unreadable');
    });
  });
});
