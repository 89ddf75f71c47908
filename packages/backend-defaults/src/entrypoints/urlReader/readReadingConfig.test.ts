import path from 'node:path';
import type { JsonObject } from '@plinth/backend-plugin-api';
import { ConfigReader } from '../rootConfig/ConfigReader';
import { readReadingConfig } from './readReadingConfig';

const rootDirectory = path.resolve('/srv/app');

function read(reading: JsonObject = {}) {
  return readReadingConfig(
    new ConfigReader({ backend: { reading } }, 'app-config.yaml'),
    rootDirectory,
  );
}

describe('readReadingConfig', () => {
  it('defaults to the root directory, 20mb and a minute', () => {
    expect(read()).toMatchObject({
      fileRoots: [rootDirectory],
      maxSize: 20 * 1024 ** 2,
      timeoutMs: 60_000,
    });
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
