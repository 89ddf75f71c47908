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
      '\'metadata\' must be an object, got ["name"]',
    ]);
  });

  it('requires a name, also when it is null', () => {
    expect(messagesOf({})).toEqual(["'metadata.name' is required"]);
    expect(messagesOf({ name: null })).toEqual(["'metadata.name' is required"]);
  });

  it('checks the name and the namespace against their rules', () => {
    expect(messagesOf({ name: 'a b', namespace: 'Ops' })).toEqual([
      '\'metadata.name\' must be 1-63 characters of [a-zA-Z0-9], separated by [-_.], got "a b"',
      '\'metadata.namespace\' must be 1-63 characters of [a-z0-9], separated by [-], got "Ops"',
    ]);
  });

  it('requires uid, etag and title to be non-empty strings', () => {
    expect(messagesOf({ name: 'a', uid: '', etag: 3, title: '' })).toEqual([
      '\'metadata.uid\' must be a non-empty string, got ""',
      "'metadata.etag' must be a non-empty string, got 3",
      '\'metadata.title\' must be a non-empty string, got ""',
    ]);
  });

  it('requires the description to be a string', () => {
    expect(messagesOf({ name: 'a', description: ['x'] })).toEqual([
      '\'metadata.description\' must be a string, got ["x"]',
    ]);
  });

  it('checks every label key and value', () => {
    expect(
      messagesOf({ name: 'a', labels: { 'Foo!': 'ok', tier: 'a b', n: 1 } }),
    ).toEqual([
      "'metadata.labels.Foo!' is not a valid label key: it must be '[<prefix>/]<name>', where the prefix is a DNS subdomain of at most 253 characters and the name 1-63 characters of [a-zA-Z0-9] separated by [-_.], got \"Foo!\"",
      '\'metadata.labels.tier\' must be empty or 1-63 characters of [a-zA-Z0-9], separated by [-_.], got "a b"',
      "'metadata.labels.n' must be a string, got 1",
    ]);
  });

  it('checks every annotation key and requires string values', () => {
    expect(
      messagesOf({ name: 'a', annotations: { 'a/b/c': 'x', ok: false } }),
    ).toEqual([
      "'metadata.annotations.a/b/c' is not a valid annotation key: it must be '[<prefix>/]<name>', where the prefix is a DNS subdomain of at most 253 characters and the name 1-63 characters of [a-zA-Z0-9] separated by [-_.], got \"a/b/c\"",
      "'metadata.annotations.ok' must be a string, got false",
    ]);
  });

  it('requires labels and annotations to be objects', () => {
    expect(messagesOf({ name: 'a', labels: 'x', annotations: [] })).toEqual([
      '\'metadata.labels\' must be an object of strings, got "x"',
      "'metadata.annotations' must be an object of strings, got []",
    ]);
  });

  it('checks every tag and requires an array', () => {
    expect(messagesOf({ name: 'a', tags: ['java', 'Go', 5] })).toEqual([
      '\'metadata.tags[1]\' must be 1-63 characters of [a-z0-9:+#], separated by [-], got "Go"',
      "'metadata.tags[2]' must be 1-63 characters of [a-z0-9:+#], separated by [-], got 5",
    ]);
    expect(messagesOf({ name: 'a', tags: 'java' })).toEqual([
      '\'metadata.tags\' must be an array of strings, got "java"',
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
      "'metadata.links[0]' must be an object with a 'url', got \"https://example.com\"",
      "'metadata.links[1].url' is required",
      "'metadata.links[2].url' must be an absolute URL, e.g. 'https://example.com/docs', got \"docs/index.html\"",
      '\'metadata.links[2].title\' must be a non-empty string, got ""',
      '\'metadata.links[2].icon\' must be a non-empty string, got ""',
      "'metadata.links[2].type' must be a non-empty string, got 2",
    ]);
    expect(messagesOf({ name: 'a', links: {} })).toEqual([
      "'metadata.links' must be an array of objects, got {}",
    ]);
  });

  it('keeps the broken value on each problem', () => {
    expect(collectMetadataProblems({ name: '-x' }, check)).toEqual([
      expect.objectContaining({ field: 'metadata.name', value: '-x' }),
    ]);
  });
});
