import { createServiceRef } from './createServiceRef';

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
});
