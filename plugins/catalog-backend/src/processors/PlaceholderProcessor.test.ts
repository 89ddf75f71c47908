import { pathToFileURL } from 'node:url';
import type { UrlReaderService } from '@plinth/backend-plugin-api';
import { MockUrlReader, mockServices } from '@plinth/backend-test-utils';
import type { Entity, JsonObject } from '@plinth/catalog-model';
import {
  ConfigFileReader,
  type CatalogProcessorResult,
  type LocationSpec,
} from '@plinth/plugin-catalog-node';
import {
  PlaceholderProcessor,
  builtinPlaceholderResolvers,
} from './PlaceholderProcessor';

/** Local files through the reader only: no config location may read disk. */
function configFiles(reader: UrlReaderService): ConfigFileReader {
  return ConfigFileReader.fromConfig({
    config: mockServices.rootConfig({ data: {} }),
    reader,
  });
}

const base = 'https://git.example.com/org/repo/blob/main/catalog-info.yaml';
const urlLocation = { type: 'url', target: base };

function apiWith(spec: JsonObject): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'petstore' },
    spec,
  };
}

async function preProcess(
  files: Record<string, string>,
  entity: Entity,
  location: LocationSpec = urlLocation,
): Promise<{ entity: Entity; emitted: CatalogProcessorResult[] }> {
  const reader = new MockUrlReader(files);
  const processor = new PlaceholderProcessor({
    resolvers: builtinPlaceholderResolvers,
    reader,
    files: configFiles(reader),
  });
  const emitted: CatalogProcessorResult[] = [];
  const result = await processor.preProcessEntity(
    entity,
    location,
    r => emitted.push(r),
    location,
  );
  return { entity: result, emitted };
}

const openapiUrl = 'https://git.example.com/org/repo/blob/main/openapi.json';

describe('PlaceholderProcessor', () => {
  it('runs before the other processors', () => {
    const processor = new PlaceholderProcessor({
      resolvers: {},
      reader: new MockUrlReader(),
      files: configFiles(new MockUrlReader()),
    });
    expect(processor.getPriority()).toBe(10);
    expect(processor.getProcessorName()).toBe('PlaceholderProcessor');
  });

  it('embeds a file relative to the entity location as text and emits its refresh key', async () => {
    const { entity, emitted } = await preProcess(
      { [openapiUrl]: '{"openapi":"3.0.0"}' },
      apiWith({ definition: { $text: './openapi.json' } }),
    );
    expect(entity.spec).toEqual({ definition: '{"openapi":"3.0.0"}' });
    expect(emitted).toEqual([{ type: 'refresh', key: `url:${openapiUrl}` }]);
  });

  it('embeds parsed JSON and YAML', async () => {
    const yamlUrl = 'https://git.example.com/org/repo/blob/main/x.yaml';
    const { entity } = await preProcess(
      { [openapiUrl]: '{"openapi":"3.0.0"}', [yamlUrl]: 'a:\n  - 1\n' },
      apiWith({ json: { $json: 'openapi.json' }, yaml: { $yaml: yamlUrl } }),
    );
    expect(entity.spec).toEqual({
      json: { openapi: '3.0.0' },
      yaml: { a: [1] },
    });
  });

  it('resolves a path relative to an entity from a file location as a local file', async () => {
    const readme = pathToFileURL('/repo/docs/README.md').href;
    const { entity, emitted } = await preProcess(
      { [readme]: '# Hello' },
      apiWith({ readme: { $text: '../docs/README.md' } }),
      { type: 'file', target: '/repo/catalog/catalog-info.yaml' },
    );
    expect(entity.spec).toEqual({ readme: '# Hello' });
    expect(emitted).toEqual([
      { type: 'refresh', key: 'file:/repo/docs/README.md' },
    ]);
  });

  it('resolves placeholders inside arrays and nested objects', async () => {
    const { entity } = await preProcess(
      { [openapiUrl]: 'x' },
      apiWith({ items: [{ deep: { $text: 'openapi.json' } }, 'plain'] }),
    );
    expect(entity.spec).toEqual({ items: [{ deep: 'x' }, 'plain'] });
  });

  it('leaves unknown $ keys and objects with more than one key alone', async () => {
    const spec = {
      schema: { $ref: '#/definitions/a' },
      both: { $text: 'openapi.json', other: 1 },
    };
    const { entity, emitted } = await preProcess({}, apiWith(spec));
    expect(entity.spec).toEqual(spec);
    expect(emitted).toEqual([]);
  });

  it('uses the resolvers it is given', async () => {
    const processor = new PlaceholderProcessor({
      resolvers: {
        upper: async ({ value }) =>
          typeof value === 'string' ? value.toUpperCase() : null,
      },
      reader: new MockUrlReader(),
      files: configFiles(new MockUrlReader()),
    });
    const entity = await processor.preProcessEntity(
      apiWith({ name: { $upper: 'abc' } }),
      urlLocation,
      () => {},
      urlLocation,
    );
    expect(entity.spec).toEqual({ name: 'ABC' });
  });

  function failure(
    placeholder: string,
    value: unknown,
    keyPath: string,
  ): string {
    return `Could not resolve placeholder '${placeholder}' with value ${JSON.stringify(value)} at '${keyPath}' of entity 'api:default/petstore' from location 'url:${base}'`;
  }

  it('rejects a placeholder whose value is not a string', async () => {
    await expect(
      preProcess({}, apiWith({ definition: { $text: 42 } })),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: failure('$text', 42, 'spec.definition'),
      cause: {
        message:
          "$text needs a string, an absolute URL or a path relative to the entity's file, got 42.",
      },
    });
  });

  it('rejects a $json file that is not JSON', async () => {
    await expect(
      preProcess(
        { [openapiUrl]: 'not json' },
        apiWith({ d: { $json: 'openapi.json' } }),
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: failure('$json', 'openapi.json', 'spec.d'),
      cause: {
        message: `'${openapiUrl}' is not valid JSON. Fix the file, or use $text to embed it as a string.`,
      },
    });
  });

  it('says where a $json file breaks without quoting its content', async () => {
    const error = await preProcess(
      { [openapiUrl]: '{\n  "token": "s3cr3t-value",\n  "x": 1 2\n}' },
      apiWith({ d: { $json: 'openapi.json' } }),
    ).catch((e: Error) => e);
    expect((error as Error & { cause: Error }).cause.message).toBe(
      `'${openapiUrl}' is not valid JSON at line 3, column 10. Fix the file, or use $text to embed it as a string.`,
    );
    expect(
      JSON.stringify(error, Object.getOwnPropertyNames(error)),
    ).not.toContain('s3cr3t');
  });

  it('rejects a $yaml file with more than one document', async () => {
    const yamlUrl = 'https://git.example.com/org/repo/blob/main/x.yaml';
    await expect(
      preProcess(
        { [yamlUrl]: 'a: 1\n---\nb: 2\n' },
        apiWith({ d: { $yaml: 'x.yaml' } }),
      ),
    ).rejects.toMatchObject({
      message: failure('$yaml', 'x.yaml', 'spec.d'),
      cause: {
        message: `'${yamlUrl}' holds 2 YAML documents, but $yaml embeds exactly one. Split the file, or use $text to embed it as a string.`,
      },
    });
  });

  it('rejects a $yaml file that is not YAML', async () => {
    const yamlUrl = 'https://git.example.com/org/repo/blob/main/x.yaml';
    await expect(
      preProcess({ [yamlUrl]: 'a: [' }, apiWith({ d: { $yaml: 'x.yaml' } })),
    ).rejects.toMatchObject({
      message: failure('$yaml', 'x.yaml', 'spec.d'),
      cause: {
        message: `'${yamlUrl}' is not valid YAML at line 1, column 5 (BAD_INDENT). Fix the file, or use $text to embed it as a string.`,
      },
    });
  });

  it('keeps the type of a failed read, with the read error as the cause', async () => {
    await expect(
      preProcess({}, apiWith({ d: { $text: 'missing.md' } })),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: failure('$text', 'missing.md', 'spec.d'),
      cause: {
        message:
          "The mock URL reader has no content at 'https://git.example.com/org/repo/blob/main/missing.md'; add it with new MockUrlReader({ 'https://git.example.com/org/repo/blob/main/missing.md': ... }).",
      },
    });
  });

  it('refuses to read local files for an entity from a url location', async () => {
    await expect(
      preProcess(
        { 'file:///etc/passwd': 'root' },
        apiWith({ d: { $text: 'file:///etc/passwd' } }),
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: failure('$text', 'file:///etc/passwd', 'spec.d'),
      cause: {
        message:
          "'file:///etc/passwd' is a local file, and only entities read from file locations may read local files. Use a URL of the same host as the entity instead.",
      },
    });
  });

  it('refuses local files for a url location whose target is a file: URL', async () => {
    await expect(
      preProcess(
        { 'file:///repo/app-config.local.yaml': 'secret' },
        apiWith({ d: { $text: './app-config.local.yaml' } }),
        { type: 'url', target: 'file:///repo/catalog-info.yaml' },
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      cause: {
        message:
          "'file:///repo/app-config.local.yaml' is a local file, and only entities read from file locations may read local files. Use a URL of the same host as the entity instead.",
      },
    });
  });

  it('refuses schemes other than http and https, and file for file locations', async () => {
    await expect(
      preProcess(
        {},
        apiWith({ d: { $text: 'ftp://user:pw@files.example.com/a.txt' } }),
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      cause: {
        message:
          "'ftp://files.example.com/a.txt' has the scheme 'ftp:', and placeholders read only http: and https: URLs, or files for entities from file locations.",
      },
    });
  });

  it('rejects a value that cannot form a URL', async () => {
    await expect(
      preProcess({}, apiWith({ d: { $text: 'http://[' } })),
    ).rejects.toMatchObject({
      message: failure('$text', 'http://[', 'spec.d'),
      cause: {
        message: `'http://[' is neither an absolute URL nor a path relative to '${base}'.`,
      },
    });
  });

  it('refuses an entity with more than 100 placeholders before reading any', async () => {
    const reader = new MockUrlReader({ [openapiUrl]: 'x' });
    const readUrl = jest.spyOn(reader, 'readUrl');
    const processor = new PlaceholderProcessor({
      resolvers: builtinPlaceholderResolvers,
      reader,
      files: configFiles(reader),
    });
    const spec = Object.fromEntries(
      Array.from({ length: 101 }, (_, i) => [
        `d${i}`,
        { $text: './openapi.json' },
      ]),
    );
    await expect(
      processor.preProcessEntity(
        apiWith(spec),
        urlLocation,
        () => {},
        urlLocation,
      ),
    ).rejects.toThrow(
      `Entity 'api:default/petstore' from location 'url:${base}' has 101 placeholders, more than the 100 one entity may have. Gather the content into fewer files.`,
    );
    expect(readUrl).not.toHaveBeenCalled();
    const hundred = Object.fromEntries(Object.entries(spec).slice(0, 100));
    await expect(
      processor.preProcessEntity(
        apiWith(hundred),
        urlLocation,
        () => {},
        urlLocation,
      ),
    ).resolves.toMatchObject({ spec: { d99: 'x' } });
  });

  it('reads at most four placeholders of an entity at once', async () => {
    let running = 0;
    let most = 0;
    const reader = new MockUrlReader({ [openapiUrl]: 'x' });
    const readUrl = reader.readUrl.bind(reader);
    jest.spyOn(reader, 'readUrl').mockImplementation(async url => {
      running += 1;
      most = Math.max(most, running);
      await new Promise(resolve => setTimeout(resolve, 5));
      running -= 1;
      return readUrl(url);
    });
    const processor = new PlaceholderProcessor({
      resolvers: builtinPlaceholderResolvers,
      reader,
      files: configFiles(reader),
    });
    const spec = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`d${i}`, { $text: openapiUrl }]),
    );
    const entity = await processor.preProcessEntity(
      apiWith(spec),
      urlLocation,
      () => {},
      urlLocation,
    );
    expect(Object.values(entity.spec ?? {})).toEqual(Array(20).fill('x'));
    expect(most).toBe(4);
  });
});
