import { createExtensionPoint } from '../wiring/createExtensionPoint';
import { createServiceFactory } from './createServiceFactory';
import type { InternalServiceFactory } from './createServiceFactory';
import { createServiceRef } from './createServiceRef';

const ref = createServiceRef<string>({ id: 'todo.store' });

describe('createServiceFactory', () => {
  it.each<[string, unknown, string]>([
    [
      'a missing service ref',
      { deps: {}, factory: () => 'x' },
      'createServiceFactory() needs a service ref created with createServiceRef(), got undefined.',
    ],
    [
      'an extension point in place of a service ref',
      {
        service: createExtensionPoint({ id: 'todo.things' }),
        deps: {},
        factory: () => 'x',
      },
      'createServiceFactory() needs a service ref created with createServiceRef(), got an object.',
    ],
    [
      'deps that are not an object',
      { service: ref, deps: [], factory: () => 'x' },
      "createServiceFactory() for service 'todo.store' needs a deps object, got an array; use deps: {} when it needs nothing.",
    ],
    [
      'a missing factory function',
      { service: ref, deps: {} },
      "createServiceFactory() for service 'todo.store' needs a factory function, got undefined.",
    ],
    [
      'a createRootContext that is not a function',
      { service: ref, deps: {}, createRootContext: 'pool', factory: () => 'x' },
      "createServiceFactory() for service 'todo.store' got a createRootContext that is the string 'pool'; it must be a function.",
    ],
  ])('rejects %s', (_name, options, message) => {
    expect(() => createServiceFactory(options as never)).toThrow(message);
  });

  it('turns sync factories and sync throws into promises', async () => {
    const factory = createServiceFactory({
      service: ref,
      deps: {},
      createRootContext: () => {
        throw new Error('no pool');
      },
      factory: () => 'value',
    }) as InternalServiceFactory;
    await expect(factory.factory({}, undefined)).resolves.toBe('value');
    await expect(factory.createRootContext!({})).rejects.toThrow('no pool');
  });
});
