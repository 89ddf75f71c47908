import { createServiceFactory } from './createServiceFactory';
import {
  createServiceRef,
  getRefDefaultFactory,
  type InternalServiceRef,
  type ServiceFactory,
  type ServiceRef,
} from './createServiceRef';

describe('createServiceRef', () => {
  it('defaults to a plugin-scoped singleton', () => {
    const ref = createServiceRef<string>({ id: 'todo.store' });
    expect(ref).toMatchObject({
      $$type: '@backstage/ServiceRef',
      id: 'todo.store',
      scope: 'plugin',
      multiton: false,
    });
    expect(String(ref)).toBe('serviceRef{todo.store}');
  });

  it('throws when the type carrier is read at run time', () => {
    const ref = createServiceRef<string>({ id: 'todo.store' });
    expect(() => ref.T).toThrow(
      "ServiceRef.T is a type carrier for 'todo.store', not a value.",
    );
  });

  it('rejects a multiton option that is not a boolean', () => {
    expect(() =>
      createServiceRef({ id: 'todo.store', multiton: 'yes' as never }),
    ).toThrow(
      "createServiceRef() got an invalid multiton option the string 'yes' for service ref 'todo.store': use true or false.",
    );
  });

  it('rejects a default factory that is not a function', () => {
    expect(() =>
      createServiceRef({ id: 'todo.store', defaultFactory: {} as never }),
    ).toThrow(
      "createServiceRef() got a defaultFactory that is an object for service ref 'todo.store': it must be a function returning a promise of a service factory.",
    );
  });

  it('rejects an id that is not a string', () => {
    expect(() => createServiceRef({ id: 42 as never })).toThrow(
      'createServiceRef() needs a service ref id string, got number 42.',
    );
  });

  it("keeps the default factory where Backstage's engine and older Plinth engines look for it", async () => {
    const defaultFactory = async (
      service: ServiceRef<string, 'plugin', 'singleton'>,
    ): Promise<ServiceFactory> =>
      createServiceFactory({ service, deps: {}, factory: () => 'default' });
    const ref = createServiceRef<string>({ id: 'todo.store', defaultFactory });
    const internal = ref as InternalServiceRef;
    expect(internal.__defaultFactory).toBe(defaultFactory);
    expect(internal.defaultFactory).toBe(defaultFactory);
    await expect(internal.__defaultFactory!(ref)).resolves.toMatchObject({
      featureType: 'service',
      service: ref,
    });
  });
});

describe('getRefDefaultFactory', () => {
  const loadA = () => Promise.resolve('a');
  const loadB = () => Promise.resolve('b');
  const refWith = (fields: object) =>
    ({
      $$type: '@backstage/ServiceRef',
      id: 'x.y',
      scope: 'plugin',
      ...fields,
    }) as never;

  it('prefers __defaultFactory, where Backstage keeps it', () => {
    expect(
      getRefDefaultFactory(
        refWith({ __defaultFactory: loadA, defaultFactory: loadB }),
      ),
    ).toBe(loadA);
  });

  it('falls back to defaultFactory, where older Plinth refs keep it', () => {
    expect(getRefDefaultFactory(refWith({ defaultFactory: loadB }))).toBe(
      loadB,
    );
  });

  it('finds none on a ref without a default, or with one that is not a function', () => {
    expect(getRefDefaultFactory(refWith({}))).toBeUndefined();
    expect(
      getRefDefaultFactory(
        refWith({ __defaultFactory: 'x', defaultFactory: null }),
      ),
    ).toBeUndefined();
  });
});
