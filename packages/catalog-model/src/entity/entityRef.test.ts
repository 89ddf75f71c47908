import { InputError } from '@plinth/errors';
import {
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from './entityRef';

describe('parseEntityRef', () => {
  it('parses a full ref and keeps the case of every part', () => {
    expect(parseEntityRef('Component:Prod/PetStore')).toEqual({
      kind: 'Component',
      namespace: 'Prod',
      name: 'PetStore',
    });
  });

  it('fills in the default namespace when the ref has none', () => {
    expect(parseEntityRef('component:petstore')).toEqual({
      kind: 'component',
      namespace: 'default',
      name: 'petstore',
    });
  });

  it('takes a missing kind and namespace from the context', () => {
    expect(
      parseEntityRef('team-a', {
        defaultKind: 'Group',
        defaultNamespace: 'org',
      }),
    ).toEqual({ kind: 'Group', namespace: 'org', name: 'team-a' });
  });

  it('prefers the parts of the ref over those of the context', () => {
    expect(
      parseEntityRef('user:people/jdoe', {
        defaultKind: 'Group',
        defaultNamespace: 'org',
      }),
    ).toEqual({ kind: 'user', namespace: 'people', name: 'jdoe' });
  });

  it('reads a colon after the first slash as part of the name', () => {
    expect(parseEntityRef('default/a:b', { defaultKind: 'Component' })).toEqual(
      { kind: 'Component', namespace: 'default', name: 'a:b' },
    );
  });

  it('keeps later slashes in the name', () => {
    expect(parseEntityRef('component:ns/a/b')).toEqual({
      kind: 'component',
      namespace: 'ns',
      name: 'a/b',
    });
  });

  it('completes an object ref from the context', () => {
    expect(parseEntityRef({ name: 'jdoe' }, { defaultKind: 'User' })).toEqual({
      kind: 'User',
      namespace: 'default',
      name: 'jdoe',
    });
    expect(
      parseEntityRef({ kind: 'API', namespace: 'ops', name: 'petstore' }),
    ).toEqual({ kind: 'API', namespace: 'ops', name: 'petstore' });
  });

  it('rejects a string ref without a kind and no defaultKind', () => {
    expect(() => parseEntityRef('foo')).toThrow(
      new InputError(
        "Entity ref 'foo' has no kind; pass a ref like 'component:default/foo' or give defaultKind.",
      ),
    );
  });

  it('rejects an object ref without a kind and no defaultKind', () => {
    expect(() => parseEntityRef({ namespace: 'ops', name: 'foo' })).toThrow(
      'Entity ref {"namespace":"ops","name":"foo"} has no kind; pass a ref like \'component:default/foo\' or give defaultKind.',
    );
  });

  it.each([
    ['component:/foo', 'namespace'],
    [':default/foo', 'kind'],
    ['component:default/', 'name'],
    ['', 'name'],
  ])('rejects the ref %p, whose %s is empty', (ref, part) => {
    expect(() => parseEntityRef(ref)).toThrow(
      `Entity ref '${ref}' has an empty ${part}; write it as '[<kind>:][<namespace>/]<name>', e.g. 'component:default/foo'.`,
    );
  });

  it('rejects a ref that is neither a string nor an object', () => {
    expect(() => parseEntityRef(42 as unknown as string)).toThrow(
      "Entity ref 42 is neither a string nor an object; write it as '[<kind>:][<namespace>/]<name>', e.g. 'component:default/foo'.",
    );
    expect(() => parseEntityRef(null as unknown as string)).toThrow(
      'Entity ref null is neither a string nor an object;',
    );
  });

  it('rejects an object ref whose parts are not strings', () => {
    expect(() =>
      parseEntityRef({ kind: 1, name: 'foo' } as unknown as { name: string }),
    ).toThrow(
      'Entity ref {"kind":1,"name":"foo"} has a kind that is not a string; give \'kind\' as a string.',
    );
  });

  it('rejects an object ref without a name', () => {
    expect(() => parseEntityRef({ kind: 'User', name: '' })).toThrow(
      'Entity ref {"kind":"User","name":""} has no name; give \'name\' as a non-empty string.',
    );
  });

  it('rejects an object ref with an empty kind or namespace', () => {
    expect(() => parseEntityRef({ namespace: '', name: 'foo' })).toThrow(
      'Entity ref {"namespace":"","name":"foo"} has an empty namespace; leave \'namespace\' out or give it a value.',
    );
  });

  it('throws InputError, so HTTP callers answer 400', () => {
    expect(() => parseEntityRef('foo')).toThrow(InputError);
  });
});

describe('stringifyEntityRef', () => {
  it('writes the ref of an entity with kind and namespace lowercased and the name as it is', () => {
    expect(
      stringifyEntityRef({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'PetStore', namespace: 'Ops' },
      }),
    ).toBe('component:ops/PetStore');
  });

  it('uses the default namespace for an entity without one', () => {
    expect(
      stringifyEntityRef({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: 'jdoe' },
      }),
    ).toBe('user:default/jdoe');
  });

  it('writes the ref of parts, with or without a namespace', () => {
    expect(stringifyEntityRef({ kind: 'API', name: 'petstore' })).toBe(
      'api:default/petstore',
    );
    expect(
      stringifyEntityRef({ kind: 'group', namespace: 'org', name: 'team-a' }),
    ).toBe('group:org/team-a');
  });
});

describe('getCompoundEntityRef', () => {
  it('returns the kind, namespace and name of an entity', () => {
    expect(
      getCompoundEntityRef({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'petstore', namespace: 'ops' },
      }),
    ).toEqual({ kind: 'Component', namespace: 'ops', name: 'petstore' });
  });

  it('fills in the default namespace', () => {
    expect(
      getCompoundEntityRef({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'team-a' },
      }),
    ).toEqual({ kind: 'Group', namespace: 'default', name: 'team-a' });
  });
});
