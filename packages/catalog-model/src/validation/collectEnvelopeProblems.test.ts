import {
  collectEnvelopeProblems,
  collectMetadataProblems,
} from './collectEnvelopeProblems';
import { createFieldRuleChecker } from './defaultFieldValidators';

const check = createFieldRuleChecker();
const base = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'petstore' },
};

function messagesOf(entity: unknown): string[] {
  return collectEnvelopeProblems(entity, check).map(p => p.message);
}

describe('collectEnvelopeProblems', () => {
  it('finds nothing wrong with a valid envelope', () => {
    expect(
      messagesOf({
        ...base,
        spec: { type: 'service' },
        relations: [{ type: 'ownedBy', targetRef: 'group:default/a' }],
        status: {
          items: [{ type: 'x', level: 'warning', message: 'm', error: {} }],
        },
      }),
    ).toEqual([]);
  });

  it('rejects an entity that is not an object', () => {
    expect(collectEnvelopeProblems('kind: Component', check)).toEqual([
      {
        field: '',
        message:
          "expected an object with 'apiVersion', 'kind' and 'metadata', got a string of 15 characters",
      },
    ]);
    expect(messagesOf(null)).toEqual([
      "expected an object with 'apiVersion', 'kind' and 'metadata', got null",
    ]);
  });

  it('rejects root fields outside the envelope', () => {
    expect(messagesOf({ ...base, owner: 'team-a' })).toEqual([
      "'owner' is not a known root field, got a string of 6 characters; only 'apiVersion', 'kind', 'metadata', 'spec', 'relations' and 'status' may be at the root, so move it under 'spec' or remove it",
    ]);
  });

  it('requires apiVersion and kind', () => {
    expect(messagesOf({ metadata: { name: 'a' } })).toEqual([
      "'apiVersion' is required; set it, e.g. to 'backstage.io/v1alpha1'",
      "'kind' is required; set it, e.g. to 'Component'",
    ]);
  });

  it('checks apiVersion and kind against their rules', () => {
    expect(messagesOf({ ...base, apiVersion: 'v1 beta', kind: 7 })).toEqual([
      "'apiVersion' must be '[<prefix>/]<version>', where the prefix is a DNS subdomain and the version 1-63 characters of [a-zA-Z0-9], e.g. 'backstage.io/v1alpha1', got a string of 7 characters",
      "'kind' must be 1-63 characters of [a-zA-Z0-9] starting with a letter, e.g. 'Component', got an integer",
    ]);
  });

  it('includes the problems of metadata', () => {
    expect(messagesOf({ ...base, metadata: { name: '' } })).toEqual([
      "'metadata.name' must be 1-63 characters of [a-zA-Z0-9], separated by [-_.], got an empty string",
    ]);
  });

  it('requires spec to be an object', () => {
    expect(messagesOf({ ...base, spec: ['a'] })).toEqual([
      "'spec' must be an object, got an array of 1 item",
    ]);
  });

  it('checks the shape of relations', () => {
    expect(
      messagesOf({
        ...base,
        relations: ['ownedBy', { type: 'ownedBy' }, { type: '', targetRef: 1 }],
      }),
    ).toEqual([
      "'relations[0]' must be an object with 'type' and 'targetRef', got a string of 7 characters",
      "'relations[1].targetRef' is required",
      "'relations[2].type' must be a non-empty string, got an empty string",
      "'relations[2].targetRef' must be a non-empty string, got an integer",
    ]);
    expect(messagesOf({ ...base, relations: {} })).toEqual([
      "'relations' must be an array, got an empty object",
    ]);
  });

  it('checks the shape of status', () => {
    expect(messagesOf({ ...base, status: 'ok' })).toEqual([
      "'status' must be an object, got a string of 2 characters",
    ]);
    expect(messagesOf({ ...base, status: { items: {} } })).toEqual([
      "'status.items' must be an array, got an empty object",
    ]);
    expect(
      messagesOf({
        ...base,
        status: { items: [1, { type: '', level: 'fatal', message: 2 }] },
      }),
    ).toEqual([
      "'status.items[0]' must be an object with 'type', 'level' and 'message', got an integer",
      "'status.items[1].type' must be a non-empty string, got an empty string",
      "'status.items[1].level' must be one of 'info', 'warning', 'error', got a string of 5 characters",
      "'status.items[1].message' must be a string, got an integer",
    ]);
  });

  it('accepts a status without items', () => {
    expect(messagesOf({ ...base, status: {} })).toEqual([]);
  });

  it('collects every problem of the entity at once', () => {
    expect(
      messagesOf({ kind: 'Component', extra: true, metadata: { name: '-' } }),
    ).toHaveLength(3);
  });

  it('refuses keys that name a prototype anywhere in the entity', () => {
    const entity = JSON.parse(
      JSON.stringify({
        ...base,
        spec: { deep: [{ nested: { prototype: 1 } }], constructor: 'x' },
      }).replace('"metadata":{', '"metadata":{"__proto__":{"polluted":true},'),
    );
    const suffix =
      "which names an object's prototype; the keys '__proto__', 'constructor' and 'prototype' are refused anywhere in an entity, so rename it";
    expect(messagesOf(entity)).toEqual([
      `'metadata.__proto__' uses the key '__proto__', ${suffix}`,
      `'spec.constructor' uses the key 'constructor', ${suffix}`,
      `'spec.deep[0].nested.prototype' uses the key 'prototype', ${suffix}`,
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('walks a deeply nested entity without exhausting the stack', () => {
    let spec: Record<string, unknown> = { prototype: true };
    for (let i = 0; i < 100_000; i += 1) {
      spec = { a: spec };
    }
    const [problem] = collectEnvelopeProblems({ ...base, spec }, check);
    expect(problem.field).toBe(`spec.${'a.'.repeat(100_000)}prototype`);
  });
});

function metadataMessagesOf(metadata: unknown): string[] {
  return collectMetadataProblems(metadata, check).map(p => p.message);
}

describe('collectMetadataProblems', () => {
  it('finds nothing wrong with complete, valid metadata', () => {
    expect(
      metadataMessagesOf({
        uid: 'e0b9c2f4',
        etag: 'abc',
        name: 'petstore',
        namespace: 'ops',
        title: 'Pet Store',
        description: '',
        labels: { tier: 'gold', 'example.com/team': '' },
        annotations: { 'backstage.io/view-url': 'https://example.com/x' },
        tags: ['java', 'c++'],
        links: [{ url: 'https://example.com', title: 'Home', icon: 'web' }],
        anythingElse: { allowed: true },
      }),
    ).toEqual([]);
  });

  it('requires metadata', () => {
    expect(metadataMessagesOf(undefined)).toEqual([
      "'metadata' is required; give at least 'metadata.name'",
    ]);
  });

  it('requires metadata to be an object', () => {
    expect(metadataMessagesOf(['name'])).toEqual([
      "'metadata' must be an object, got an array of 1 item",
    ]);
  });

  it('requires a name, also when it is null', () => {
    expect(metadataMessagesOf({})).toEqual(["'metadata.name' is required"]);
    expect(metadataMessagesOf({ name: null })).toEqual([
      "'metadata.name' is required",
    ]);
  });

  it('checks the name and the namespace against their rules', () => {
    expect(metadataMessagesOf({ name: 'a b', namespace: 'Ops' })).toEqual([
      "'metadata.name' must be 1-63 characters of [a-zA-Z0-9], separated by [-_.], got a string of 3 characters",
      "'metadata.namespace' must be 1-63 characters of [a-z0-9], separated by [-], got a string of 3 characters",
    ]);
  });

  it('requires uid, etag and title to be non-empty strings', () => {
    expect(
      metadataMessagesOf({ name: 'a', uid: '', etag: 3, title: '' }),
    ).toEqual([
      "'metadata.uid' must be a non-empty string, got an empty string",
      "'metadata.etag' must be a non-empty string, got an integer",
      "'metadata.title' must be a non-empty string, got an empty string",
    ]);
  });

  it('requires the description to be a string', () => {
    expect(metadataMessagesOf({ name: 'a', description: ['x'] })).toEqual([
      "'metadata.description' must be a string, got an array of 1 item",
    ]);
  });

  it('checks every label key and value', () => {
    expect(
      metadataMessagesOf({
        name: 'a',
        labels: { 'Foo!': 'ok', tier: 'a b', n: 1 },
      }),
    ).toEqual([
      "'metadata.labels.Foo!' is not a valid label key: it must be '[<prefix>/]<name>', where the prefix is a DNS subdomain of at most 253 characters and the name 1-63 characters of [a-zA-Z0-9] separated by [-_.], got a string of 4 characters",
      "'metadata.labels.tier' must be empty or 1-63 characters of [a-zA-Z0-9], separated by [-_.], got a string of 3 characters",
      "'metadata.labels.n' must be a string, got an integer",
    ]);
  });

  it('checks every annotation key and requires string values', () => {
    expect(
      metadataMessagesOf({
        name: 'a',
        annotations: { 'a/b/c': 'x', ok: false },
      }),
    ).toEqual([
      "'metadata.annotations.a/b/c' is not a valid annotation key: it must be '[<prefix>/]<name>', where the prefix is a DNS subdomain of at most 253 characters and the name 1-63 characters of [a-zA-Z0-9] separated by [-_.], got a string of 5 characters",
      "'metadata.annotations.ok' must be a string, got a boolean",
    ]);
  });

  it('requires labels and annotations to be objects', () => {
    expect(
      metadataMessagesOf({ name: 'a', labels: 'x', annotations: [] }),
    ).toEqual([
      "'metadata.labels' must be an object of strings, got a string of 1 character",
      "'metadata.annotations' must be an object of strings, got an empty array",
    ]);
  });

  it('checks every tag and requires an array', () => {
    expect(metadataMessagesOf({ name: 'a', tags: ['java', 'Go', 5] })).toEqual([
      "'metadata.tags[1]' must be 1-63 characters of [a-z0-9:+#], separated by [-], got a string of 2 characters",
      "'metadata.tags[2]' must be 1-63 characters of [a-z0-9:+#], separated by [-], got an integer",
    ]);
    expect(metadataMessagesOf({ name: 'a', tags: 'java' })).toEqual([
      "'metadata.tags' must be an array of strings, got a string of 4 characters",
    ]);
  });

  it('checks the shape of every link', () => {
    expect(
      metadataMessagesOf({
        name: 'a',
        links: [
          'https://example.com',
          { title: 'Docs' },
          { url: 'docs/index.html', icon: '', type: 2, title: '' },
        ],
      }),
    ).toEqual([
      "'metadata.links[0]' must be an object with a 'url', got a string of 19 characters",
      "'metadata.links[1].url' is required",
      "'metadata.links[2].url' must be an absolute URL, e.g. 'https://example.com/docs', got a string of 15 characters",
      "'metadata.links[2].title' must be a non-empty string, got an empty string",
      "'metadata.links[2].icon' must be a non-empty string, got an empty string",
      "'metadata.links[2].type' must be a non-empty string, got an integer",
    ]);
    expect(metadataMessagesOf({ name: 'a', links: {} })).toEqual([
      "'metadata.links' must be an array of objects, got an empty object",
    ]);
  });

  it('names the broken field on each problem without its value', () => {
    expect(collectMetadataProblems({ name: '-x' }, check)).toEqual([
      {
        field: 'metadata.name',
        message:
          "'metadata.name' must be 1-63 characters of [a-zA-Z0-9], separated by [-_.], got a string of 2 characters",
      },
    ]);
  });
});
