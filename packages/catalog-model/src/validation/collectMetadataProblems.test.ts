import { collectMetadataProblems } from './collectMetadataProblems';
import { createFieldRuleChecker } from './createFieldRuleChecker';

const check = createFieldRuleChecker();

function messagesOf(metadata: unknown): string[] {
  return collectMetadataProblems(metadata, check).map(p => p.message);
}

describe('collectMetadataProblems', () => {
  it('finds nothing wrong with complete, valid metadata', () => {
    expect(
      messagesOf({
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
    expect(messagesOf(undefined)).toEqual([
      "'metadata' is required; give at least 'metadata.name'",
    ]);
  });

  it('requires metadata to be an object', () => {
    expect(messagesOf(['name'])).toEqual([
      "'metadata' must be an object, got an array of 1 item",
    ]);
  });

  it('requires a name, also when it is null', () => {
    expect(messagesOf({})).toEqual(["'metadata.name' is required"]);
    expect(messagesOf({ name: null })).toEqual(["'metadata.name' is required"]);
  });

  it('checks the name and the namespace against their rules', () => {
    expect(messagesOf({ name: 'a b', namespace: 'Ops' })).toEqual([
      "'metadata.name' must be 1-63 characters of [a-zA-Z0-9], separated by [-_.], got a string of 3 characters",
      "'metadata.namespace' must be 1-63 characters of [a-z0-9], separated by [-], got a string of 3 characters",
    ]);
  });

  it('requires uid, etag and title to be non-empty strings', () => {
    expect(messagesOf({ name: 'a', uid: '', etag: 3, title: '' })).toEqual([
      "'metadata.uid' must be a non-empty string, got an empty string",
      "'metadata.etag' must be a non-empty string, got an integer",
      "'metadata.title' must be a non-empty string, got an empty string",
    ]);
  });

  it('requires the description to be a string', () => {
    expect(messagesOf({ name: 'a', description: ['x'] })).toEqual([
      "'metadata.description' must be a string, got an array of 1 item",
    ]);
  });

  it('checks every label key and value', () => {
    expect(
      messagesOf({ name: 'a', labels: { 'Foo!': 'ok', tier: 'a b', n: 1 } }),
    ).toEqual([
      "'metadata.labels.Foo!' is not a valid label key: it must be '[<prefix>/]<name>', where the prefix is a DNS subdomain of at most 253 characters and the name 1-63 characters of [a-zA-Z0-9] separated by [-_.], got a string of 4 characters",
      "'metadata.labels.tier' must be empty or 1-63 characters of [a-zA-Z0-9], separated by [-_.], got a string of 3 characters",
      "'metadata.labels.n' must be a string, got an integer",
    ]);
  });

  it('checks every annotation key and requires string values', () => {
    expect(
      messagesOf({ name: 'a', annotations: { 'a/b/c': 'x', ok: false } }),
    ).toEqual([
      "'metadata.annotations.a/b/c' is not a valid annotation key: it must be '[<prefix>/]<name>', where the prefix is a DNS subdomain of at most 253 characters and the name 1-63 characters of [a-zA-Z0-9] separated by [-_.], got a string of 5 characters",
      "'metadata.annotations.ok' must be a string, got a boolean",
    ]);
  });

  it('requires labels and annotations to be objects', () => {
    expect(messagesOf({ name: 'a', labels: 'x', annotations: [] })).toEqual([
      "'metadata.labels' must be an object of strings, got a string of 1 character",
      "'metadata.annotations' must be an object of strings, got an empty array",
    ]);
  });

  it('checks every tag and requires an array', () => {
    expect(messagesOf({ name: 'a', tags: ['java', 'Go', 5] })).toEqual([
      "'metadata.tags[1]' must be 1-63 characters of [a-z0-9:+#], separated by [-], got a string of 2 characters",
      "'metadata.tags[2]' must be 1-63 characters of [a-z0-9:+#], separated by [-], got an integer",
    ]);
    expect(messagesOf({ name: 'a', tags: 'java' })).toEqual([
      "'metadata.tags' must be an array of strings, got a string of 4 characters",
    ]);
  });

  it('checks the shape of every link', () => {
    expect(
      messagesOf({
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
    expect(messagesOf({ name: 'a', links: {} })).toEqual([
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
