import { ConfigReader } from './ConfigReader';
import { readSizeFromConfig } from './durationsAndSizes';

const key = 'backend.http.jsonBodyLimit';

function read(value: unknown) {
  const config = ConfigReader.fromConfigs([
    { context: 'app-config.yaml', data: {} },
    {
      context: 'app-config.local.yaml',
      data:
        value === undefined
          ? {}
          : { backend: { http: { jsonBodyLimit: value as never } } },
    },
  ]);
  return readSizeFromConfig(config, key);
}

describe('readSizeFromConfig', () => {
  it('returns undefined when the key is not set', () => {
    expect(read(undefined)).toBeUndefined();
  });

  it.each([
    [0, 0],
    [2048, 2048],
    ['512', 512],
    ['10b', 10],
    ['1kb', 1024],
    ['1.5KB', 1536],
    ['1.5 MB', 1.5 * 1024 ** 2],
    ['20mb', 20 * 1024 ** 2],
    [' 2 gb ', 2 * 1024 ** 3],
  ])('reads %j as %d bytes', (value, bytes) => {
    expect(read(value)).toBe(bytes);
  });

  it('rounds a fraction of a byte down', () => {
    expect(read('1.5b')).toBe(1);
  });

  it.each([
    ['1 megabyte'],
    ['lots'],
    ['1tb'],
    ['mb'],
    ['-1kb'],
    [-5],
    [1.5],
    [false],
    [[1024]],
    [{ mb: 1 }],
  ])('rejects %j naming the key and the file', value => {
    const described = Array.isArray(value)
      ? 'an array'
      : typeof value === 'object'
        ? 'an object'
        : JSON.stringify(value);
    expect(() => read(value)).toThrow(
      `Invalid config at '${key}' (app-config.local.yaml): expected a whole number of bytes or a size such as '1mb' (units b, kb, mb, gb), got ${described}.`,
    );
  });
});
