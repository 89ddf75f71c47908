import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { UrlReaderService } from '@plinth/backend-plugin-api';
import { MockUrlReader, mockServices } from '@plinth/backend-test-utils';
import { NotAllowedError } from '@plinth/errors';
import {
  ConfigFileReader,
  defaultEntityDataParser,
  type CatalogProcessorResult,
} from '@plinth/plugin-catalog-node';
import { FileReaderProcessor } from './FileReaderProcessor';

const componentYaml = (name: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n`;

/** Local files through the reader only: no config location may read disk. */
function configFiles(reader: UrlReaderService): ConfigFileReader {
  return ConfigFileReader.fromConfig({
    config: mockServices.rootConfig({ data: {} }),
    reader,
  });
}

function fileUrl(filePath: string): string {
  return pathToFileURL(filePath).href;
}

async function read(
  reader: UrlReaderService,
  target: string,
  optional = false,
): Promise<{ handled: boolean; emitted: CatalogProcessorResult[] }> {
  const emitted: CatalogProcessorResult[] = [];
  const handled = await new FileReaderProcessor({
    files: configFiles(reader),
  }).readLocation(
    { type: 'file', target },
    optional,
    result => emitted.push(result),
    defaultEntityDataParser,
  );
  return { handled, emitted };
}

describe('FileReaderProcessor', () => {
  it('leaves locations of other types to other processors', async () => {
    const emitted: CatalogProcessorResult[] = [];
    await expect(
      new FileReaderProcessor({
        files: configFiles(new MockUrlReader()),
      }).readLocation(
        { type: 'url', target: 'https://a/b.yaml' },
        false,
        result => emitted.push(result),
        defaultEntityDataParser,
      ),
    ).resolves.toBe(false);
    expect(emitted).toEqual([]);
  });

  it('emits the entities of a file with the file as their location, then its refresh key', async () => {
    const reader = new MockUrlReader({
      [fileUrl('/catalog/a.yaml')]:
        `${componentYaml('a')}---\n${componentYaml('b')}`,
    });
    const { handled, emitted } = await read(reader, '/catalog/a.yaml');
    expect(handled).toBe(true);
    const location = { type: 'file', target: '/catalog/a.yaml' };
    expect(emitted).toEqual([
      {
        type: 'entity',
        location,
        entity: expect.objectContaining({ metadata: { name: 'a' } }),
      },
      {
        type: 'entity',
        location,
        entity: expect.objectContaining({ metadata: { name: 'b' } }),
      },
      { type: 'refresh', key: 'file:/catalog/a.yaml' },
    ]);
  });

  it('resolves a relative path against the working directory', async () => {
    const absolute = path.resolve('examples/a.yaml');
    const reader = new MockUrlReader({
      [fileUrl(absolute)]: componentYaml('a'),
    });
    const { emitted } = await read(reader, 'examples/a.yaml');
    expect(emitted).toEqual([
      expect.objectContaining({
        type: 'entity',
        location: { type: 'file', target: absolute },
      }),
      { type: 'refresh', key: `file:${absolute}` },
    ]);
  });

  it('reads every file a glob matches, each as its own location', async () => {
    const reader = new MockUrlReader({
      [fileUrl('/catalog/b.yaml')]: componentYaml('b'),
      [fileUrl('/catalog/a.yaml')]: componentYaml('a'),
      [fileUrl('/other/c.yaml')]: componentYaml('c'),
    });
    const { emitted } = await read(reader, '/catalog/*.yaml');
    expect(emitted).toEqual([
      expect.objectContaining({
        location: { type: 'file', target: '/catalog/a.yaml' },
      }),
      { type: 'refresh', key: 'file:/catalog/a.yaml' },
      expect.objectContaining({
        location: { type: 'file', target: '/catalog/b.yaml' },
      }),
      { type: 'refresh', key: 'file:/catalog/b.yaml' },
    ]);
  });

  it('reports a missing required file as not found', async () => {
    const { emitted } = await read(
      new MockUrlReader(),
      '/catalog/missing.yaml',
    );
    expect(emitted).toHaveLength(1);
    const [result] = emitted;
    expect(result).toMatchObject({
      type: 'error',
      location: { type: 'file', target: '/catalog/missing.yaml' },
    });
    expect(result.type === 'error' && result.error.name).toBe('NotFoundError');
    expect(result.type === 'error' && result.error.message).toBe(
      "No file exists at location 'file:/catalog/missing.yaml' (resolved to '/catalog/missing.yaml'). Check the path, or give the location presence 'optional' if it may be missing.",
    );
  });

  it('reports a glob that matches nothing as not found', async () => {
    const { emitted } = await read(new MockUrlReader(), '/catalog/*.yaml');
    expect(emitted).toEqual([
      expect.objectContaining({
        type: 'error',
        error: expect.objectContaining({
          name: 'NotFoundError',
          message:
            "No file exists at location 'file:/catalog/*.yaml' (resolved to '/catalog/*.yaml'). Check the path, or give the location presence 'optional' if it may be missing.",
        }),
      }),
    ]);
  });

  it('emits nothing for a missing optional file', async () => {
    const { handled, emitted } = await read(
      new MockUrlReader(),
      '/catalog/missing.yaml',
      true,
    );
    expect(handled).toBe(true);
    expect(emitted).toEqual([]);
  });

  it('emits the error of a read that fails for another reason, keeping its type', async () => {
    const refusal = new NotAllowedError(
      "Cannot read 'file:///etc/a.yaml': '/etc/a.yaml' is outside the directories that file: URLs may read.",
    );
    const reader = new MockUrlReader();
    reader.readUrl = async () => {
      throw refusal;
    };
    const { emitted } = await read(reader, '/etc/a.yaml');
    expect(emitted).toEqual([
      {
        type: 'error',
        location: { type: 'file', target: '/etc/a.yaml' },
        error: refusal,
      },
    ]);
  });

  it('emits the parse errors of a malformed file', async () => {
    const reader = new MockUrlReader({
      [fileUrl('/catalog/bad.yaml')]: 'a: [',
    });
    const { emitted } = await read(reader, '/catalog/bad.yaml');
    expect(emitted).toEqual([
      expect.objectContaining({
        type: 'error',
        error: expect.objectContaining({ name: 'InputError' }),
      }),
      { type: 'refresh', key: 'file:/catalog/bad.yaml' },
    ]);
  });
});
