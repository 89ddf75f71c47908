import path from 'node:path';
import type { JsonObject } from '@plinth/backend-plugin-api';
import { ConfigReader } from '../../config';
import { readReadingConfig } from './UrlReaders';

const rootDirectory = path.resolve('/srv/app');

function read(reading: JsonObject = {}, locations?: JsonObject[]) {
  return readReadingConfig(
    new ConfigReader(
      { backend: { reading }, ...(locations && { catalog: { locations } }) },
      'app-config.yaml',
    ),
    rootDirectory,
  );
}

describe('readReadingConfig', () => {
  it('defaults to no file roots, 20mb and a minute', () => {
    expect(read()).toMatchObject({
      fileRoots: [],
      maxSize: 20 * 1024 ** 2,
      timeoutMs: 60_000,
    });
  });

  it('defaults the file roots to the directories of the file locations in catalog.locations', () => {
    const locations = [
      { type: 'file', target: '/srv/catalog/all.yaml' },
      { type: 'file', target: '/srv/teams/**/*.yaml' },
      { type: 'url', target: 'https://example.com/catalog-info.yaml' },
      { type: 'file', target: '/srv/catalog/other.yaml' },
    ];
    expect(read({}, locations).fileRoots).toEqual([
      path.resolve('/srv/catalog'),
      path.resolve('/srv/teams'),
    ]);
  });

  it('resolves relative file locations against the working directory, as the catalog does', () => {
    const locations = [
      { type: 'file', target: './catalog/**/*.yaml' },
      { type: 'file', target: 'users/org.yaml' },
      { type: 'file', target: 'catalog-info.yaml' },
      { type: 'file', target: '*.yaml' },
    ];
    expect(read({}, locations).fileRoots).toEqual([
      path.resolve('catalog'),
      path.resolve('users'),
      process.cwd(),
    ]);
  });

  it('has no file roots when catalog.locations has no file locations', () => {
    const locations = [{ type: 'url', target: 'https://example.com/a.yaml' }];
    expect(read({}, locations).fileRoots).toEqual([]);
  });

  it('prefers the configured file roots over the file locations', () => {
    const locations = [{ type: 'file', target: '/srv/catalog/all.yaml' }];
    expect(read({ fileRoots: ['data'] }, locations).fileRoots).toEqual([
      path.join(rootDirectory, 'data'),
    ]);
    expect(read({ fileRoots: [] }, locations).fileRoots).toEqual([]);
  });

  it('rejects a file location without a target', () => {
    expect(() => read({}, [{ type: 'file' }])).toThrow(
      "Missing required config value at 'catalog.locations[0].target'; set it in 'app-config.yaml'.",
    );
  });

  it('resolves relative file roots against the root directory', () => {
    expect(read({ fileRoots: ['catalog', '/data/shared'] }).fileRoots).toEqual([
      path.join(rootDirectory, 'catalog'),
      path.resolve('/data/shared'),
    ]);
  });

  it('reads the size limit and the timeout', () => {
    expect(read({ maxSize: '1mb', timeout: { seconds: 5 } })).toMatchObject({
      maxSize: 1024 ** 2,
      timeoutMs: 5000,
    });
  });

  it('rejects a timeout of zero', () => {
    expect(() => read({ timeout: 'PT0S' })).toThrow(
      `Invalid config at 'backend.reading.timeout' (app-config.yaml): expected a duration longer than zero: milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S', got "PT0S".`,
    );
  });

  it('rejects file roots that are not strings', () => {
    expect(() => read({ fileRoots: [3] })).toThrow(
      `Invalid config at 'backend.reading.fileRoots[0]' (app-config.yaml): expected a non-empty string, got 3.`,
    );
  });
});
