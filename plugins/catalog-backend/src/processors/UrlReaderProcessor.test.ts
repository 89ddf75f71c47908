import { MockUrlReader } from '@plinth/backend-test-utils';
import type { JsonValue } from '@plinth/catalog-model';
import { InputError } from '@plinth/errors';
import {
  defaultEntityDataParser,
  type CatalogProcessorCache,
  type CatalogProcessorParser,
  type CatalogProcessorResult,
} from '@plinth/plugin-catalog-node';
import { UrlReaderProcessor } from './UrlReaderProcessor';

const componentYaml = (name: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n`;

/** Keeps only what the last run set, as the catalog's processor cache does. */
class RunCache implements CatalogProcessorCache {
  previous = new Map<string, JsonValue>();
  current = new Map<string, JsonValue>();
  async get<T extends JsonValue>(key: string): Promise<T | undefined> {
    return this.previous.get(key) as T | undefined;
  }
  async set<T extends JsonValue>(key: string, value: T): Promise<void> {
    this.current.set(key, value);
  }
  nextRun(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

function countingParser(): CatalogProcessorParser & { calls: number } {
  const parser = (options: Parameters<CatalogProcessorParser>[0]) => {
    parser.calls += 1;
    return defaultEntityDataParser(options);
  };
  parser.calls = 0;
  return parser;
}

async function read(
  reader: MockUrlReader,
  target: string,
  options: {
    optional?: boolean;
    cache?: RunCache;
    parser?: CatalogProcessorParser;
  } = {},
): Promise<CatalogProcessorResult[]> {
  const emitted: CatalogProcessorResult[] = [];
  await new UrlReaderProcessor({ reader }).readLocation(
    { type: 'url', target },
    options.optional ?? false,
    result => emitted.push(result),
    options.parser ?? defaultEntityDataParser,
    options.cache ?? new RunCache(),
  );
  return emitted;
}

const url = 'https://git.example.com/org/repo/blob/main/catalog-info.yaml';

describe('UrlReaderProcessor', () => {
  it('leaves locations of other types to other processors', async () => {
    await expect(
      new UrlReaderProcessor({ reader: new MockUrlReader() }).readLocation(
        { type: 'file', target: '/a.yaml' },
        false,
        () => {},
        defaultEntityDataParser,
        new RunCache(),
      ),
    ).resolves.toBe(false);
  });

  it('emits the entities at a URL, then the refresh key of the location', async () => {
    const reader = new MockUrlReader({ [url]: componentYaml('a') });
    await expect(read(reader, url)).resolves.toEqual([
      {
        type: 'entity',
        location: { type: 'url', target: url },
        entity: expect.objectContaining({ metadata: { name: 'a' } }),
      },
      { type: 'refresh', key: `url:${url}` },
    ]);
  });

  it('reads every file a URL with a glob in its path matches', async () => {
    const b = 'https://git.example.com/org/repo/blob/main/b/catalog-info.yaml';
    const a = 'https://git.example.com/org/repo/blob/main/a/catalog-info.yaml';
    const reader = new MockUrlReader({
      [b]: componentYaml('b'),
      [a]: componentYaml('a'),
    });
    const glob =
      'https://git.example.com/org/repo/blob/main/*/catalog-info.yaml';
    await expect(read(reader, glob)).resolves.toEqual([
      expect.objectContaining({ location: { type: 'url', target: a } }),
      expect.objectContaining({ location: { type: 'url', target: b } }),
      { type: 'refresh', key: `url:${glob}` },
    ]);
  });

  it('emits the cached entities without parsing again while the source is unchanged', async () => {
    const reader = new MockUrlReader({ [url]: componentYaml('a') });
    const cache = new RunCache();
    const parser = countingParser();
    const first = await read(reader, url, { cache, parser });
    cache.nextRun();
    const second = await read(reader, url, { cache, parser });
    cache.nextRun();
    const third = await read(reader, url, { cache, parser });
    expect(parser.calls).toBe(1);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
  });

  it('parses again once the source changes', async () => {
    const reader = new MockUrlReader({ [url]: componentYaml('a') });
    const cache = new RunCache();
    await read(reader, url, { cache });
    cache.nextRun();
    reader.set(url, componentYaml('b'));
    await expect(read(reader, url, { cache })).resolves.toEqual([
      expect.objectContaining({
        entity: expect.objectContaining({ metadata: { name: 'b' } }),
      }),
      { type: 'refresh', key: `url:${url}` },
    ]);
  });

  it('does not cache a read that produced errors', async () => {
    const reader = new MockUrlReader({ [url]: 'a: [' });
    const cache = new RunCache();
    await read(reader, url, { cache });
    expect(cache.current.size).toBe(0);
  });

  it('reports a missing required URL as not found', async () => {
    const emitted = await read(new MockUrlReader(), url);
    expect(emitted).toEqual([
      {
        type: 'error',
        location: { type: 'url', target: url },
        error: expect.objectContaining({
          name: 'NotFoundError',
          message: `Nothing exists at location 'url:${url}'. Check the URL, or give the location presence 'optional' if it may be missing.`,
        }),
      },
      { type: 'refresh', key: `url:${url}` },
    ]);
  });

  it('reports a glob that matches nothing as not found', async () => {
    const glob = 'https://git.example.com/org/*/catalog-info.yaml';
    const emitted = await read(new MockUrlReader(), glob);
    expect(emitted[0]).toEqual({
      type: 'error',
      location: { type: 'url', target: glob },
      error: expect.objectContaining({
        name: 'NotFoundError',
        message: `Nothing exists at location 'url:${glob}'. Check the URL, or give the location presence 'optional' if it may be missing.`,
      }),
    });
  });

  it('emits only the refresh key for a missing optional URL', async () => {
    await expect(
      read(new MockUrlReader(), url, { optional: true }),
    ).resolves.toEqual([{ type: 'refresh', key: `url:${url}` }]);
  });

  it('emits the error of a read that fails for another reason, keeping its type', async () => {
    const reader = new MockUrlReader();
    const failure = new InputError(
      `Cannot read '${url}': the host is not allowed.`,
    );
    reader.readUrl = async () => {
      throw failure;
    };
    await expect(read(reader, url)).resolves.toEqual([
      { type: 'error', location: { type: 'url', target: url }, error: failure },
      { type: 'refresh', key: `url:${url}` },
    ]);
  });
});
