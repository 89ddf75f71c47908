import type { Config } from '@plinth/backend-plugin-api';
import { ConfigReader } from './ConfigReader';
import { readConfigSecrets } from './DefaultRootConfigService';

const layered = () =>
  ConfigReader.fromConfigs([
    {
      context: 'app-config.yaml',
      data: {
        app: { title: 'Plinth', baseUrl: 'http://localhost:3000' },
        backend: { listen: { port: 7007 }, cors: { origins: ['a'] } },
        flags: { strict: 'true' },
      },
    },
    {
      context: 'app-config.local.yaml',
      data: {
        app: { title: 'Local' },
        backend: { listen: { port: '70a' }, cors: { origins: ['b', 'c'] } },
      },
    },
  ]);

describe('ConfigReader', () => {
  it('lets later layers win and merges objects key by key', () => {
    const config = layered();
    expect(config.getString('app.title')).toBe('Local');
    expect(config.getString('app.baseUrl')).toBe('http://localhost:3000');
    expect(config.getConfig('app').keys()).toEqual(['title', 'baseUrl']);
    expect(config.get('app')).toEqual({
      title: 'Local',
      baseUrl: 'http://localhost:3000',
    });
  });

  it('lets an object in a later layer replace a plain value below it', () => {
    const config = ConfigReader.fromConfigs([
      { context: 'app-config.yaml', data: { cache: 'memory' } },
      { context: 'app-config.local.yaml', data: { cache: { store: 'redis' } } },
    ]);
    expect(config.getConfig('cache').getString('store')).toBe('redis');
    expect(config.get('cache')).toEqual({ store: 'redis' });
  });

  it('replaces arrays instead of merging them', () => {
    expect(layered().getStringArray('backend.cors.origins')).toEqual([
      'b',
      'c',
    ]);
  });

  it('names the key and the file of a value with the wrong type', () => {
    expect(() => layered().getNumber('backend.listen.port')).toThrow(
      'Invalid config at \'backend.listen.port\' (app-config.local.yaml): expected a number, got "70a".',
    );
  });

  it('names the full key through nested config objects', () => {
    expect(() =>
      layered().getConfig('backend').getConfig('listen').getBoolean('port'),
    ).toThrow(
      'Invalid config at \'backend.listen.port\' (app-config.local.yaml): expected a boolean, got "70a".',
    );
  });

  it('names the key and every searched file for a missing value', () => {
    expect(() => layered().getString('auth.secret')).toThrow(
      "Missing required config value at 'auth.secret'; set it in 'app-config.yaml' or 'app-config.local.yaml'.",
    );
  });

  it('reads numbers and booleans written as strings, as environment values are', () => {
    const config = new ConfigReader({ port: '7007', on: 'true', off: false });
    expect(config.getNumber('port')).toBe(7007);
    expect(config.getBoolean('on')).toBe(true);
    expect(config.getOptionalBoolean('off')).toBe(false);
    expect(layered().getBoolean('flags.strict')).toBe(true);
  });

  it('returns undefined from optional getters for absent keys', () => {
    const config = new ConfigReader({});
    expect(config.getOptionalString('a.b')).toBeUndefined();
    expect(config.getOptionalConfig('a')).toBeUndefined();
    expect(config.getOptionalConfigArray('a')).toBeUndefined();
    expect(config.getOptionalStringArray('a')).toBeUndefined();
    expect(config.has('a')).toBe(false);
  });

  it('reads arrays of config objects with indexed keys in errors', () => {
    const config = new ConfigReader(
      { locations: [{ type: 'file', target: './a.yaml' }, { type: 7 }] },
      'app-config.yaml',
    );
    const [first, second] = config.getConfigArray('locations');
    expect(first.getString('target')).toBe('./a.yaml');
    expect(() => second.getString('type')).toThrow(
      "Invalid config at 'locations[1].type' (app-config.yaml): expected a non-empty string, got 7.",
    );
  });

  it('rejects a config array item that is not an object', () => {
    const config = new ConfigReader({ locations: ['x'] }, 'app-config.yaml');
    expect(() => config.getConfigArray('locations')).toThrow(
      'Invalid config at \'locations[0]\' (app-config.yaml): expected an object, got "x".',
    );
  });

  it('rejects a string array with a non-string item', () => {
    const config = new ConfigReader({ tags: ['a', 1] }, 'app-config.yaml');
    expect(() => config.getStringArray('tags')).toThrow(
      "Invalid config at 'tags[1]' (app-config.yaml): expected a non-empty string, got 1.",
    );
  });

  it('rejects a nested config that is not an object', () => {
    const config = new ConfigReader({ backend: 'x' }, 'app-config.yaml');
    expect(() => config.getConfig('backend')).toThrow(
      'Invalid config at \'backend\' (app-config.yaml): expected an object, got "x".',
    );
  });

  it('finds no prototype member at a key that the data does not hold', () => {
    const config = layered();
    expect(config.getOptional('constructor')).toBeUndefined();
    expect(config.has('toString')).toBe(false);
    expect(config.getOptionalConfig('app.constructor')).toBeUndefined();
    expect(() => config.getString('toString')).toThrow(
      "Missing required config value at 'toString'; set it in 'app-config.yaml' or 'app-config.local.yaml'.",
    );
    expect(() => config.getConfig('app').getNumber('hasOwnProperty')).toThrow(
      "Missing required config value at 'app.hasOwnProperty'; set it in 'app-config.yaml' or 'app-config.local.yaml'.",
    );
  });

  it('refuses a __proto__ key as malformed', () => {
    expect(() => layered().getOptional('app.__proto__')).toThrow(
      "Invalid config key 'app.__proto__': use dot-separated names of letters, digits, dashes and underscores.",
    );
  });

  it('reads keys named like prototype members from the data only, and merges them as plain keys', () => {
    const config = ConfigReader.fromConfigs([
      {
        context: 'app-config.yaml',
        data: JSON.parse(
          '{ "a": { "__proto__": { "x": 1 }, "toString": "t" } }',
        ),
      },
      {
        context: 'app-config.local.yaml',
        data: JSON.parse('{ "a": { "__proto__": { "y": 2 } } }'),
      },
    ]);
    expect(config.getString('a.toString')).toBe('t');
    const merged = config.get<Record<string, unknown>>('a');
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(merged, '__proto__')?.value).toEqual(
      { x: 1, y: 2 },
    );
    expect(merged.x).toBeUndefined();
  });

  it('rejects a malformed key', () => {
    expect(() => new ConfigReader({}).getOptionalString('a..b')).toThrow(
      "Invalid config key 'a..b': use dot-separated names of letters, digits, dashes and underscores.",
    );
  });
});

describe('ConfigReader.findContext', () => {
  const config = ConfigReader.fromConfigs([
    {
      context: 'app-config.yaml',
      data: { a: { number: 1, object: { x: 1 }, list: [1], text: 'x' } },
    },
    { context: 'app-config.local.yaml', data: { a: { number: 2 } } },
  ]);

  it('names the layer a value comes from, whatever its type', () => {
    expect(ConfigReader.findContext(config, 'a.number')).toBe(
      'app-config.local.yaml',
    );
    expect(ConfigReader.findContext(config, 'a.object')).toBe(
      'app-config.yaml',
    );
    expect(ConfigReader.findContext(config, 'a.list')).toBe('app-config.yaml');
    expect(ConfigReader.findContext(config, 'a.text')).toBe('app-config.yaml');
  });

  it('names the highest layer that sets part of a merged object', () => {
    const merged = ConfigReader.fromConfigs([
      { context: 'app-config.yaml', data: { a: { x: 1 } } },
      { context: 'app-config.local.yaml', data: { a: { y: 2 } } },
    ]);
    expect(ConfigReader.findContext(merged, 'a')).toBe('app-config.local.yaml');
  });

  it('names the layer through nested readers and config arrays', () => {
    expect(ConfigReader.findContext(config.getConfig('a'), 'number')).toBe(
      'app-config.local.yaml',
    );
    const items = new ConfigReader(
      { items: [{ host: 'x' }] },
      'app-config.production.yaml',
    ).getConfigArray('items');
    expect(ConfigReader.findContext(items[0], 'host')).toBe(
      'app-config.production.yaml',
    );
  });

  it('names the lowest layer for a key that no layer sets', () => {
    expect(ConfigReader.findContext(config, 'a.missing')).toBe(
      'app-config.yaml',
    );
  });

  it("says 'app-config' for a Config that is not a ConfigReader", () => {
    const other = {
      getOptional: () => 1,
      getOptionalConfig: () => undefined,
    } as unknown as Config;
    expect(ConfigReader.findContext(other, 'a')).toBe('app-config');
  });
});

describe('readConfigSecrets', () => {
  it('collects the secret values of every layer once', () => {
    const config = ConfigReader.fromConfigs([
      { context: 'a.yaml', data: { a: 's1' }, secrets: ['s1', 'shared'] },
      { context: 'b.yaml', data: { b: 's2' }, secrets: ['s2', 'shared'] },
    ]);
    expect(readConfigSecrets(config)).toEqual(['s1', 'shared', 's2']);
  });

  it('finds no secrets in a config that does not track them', () => {
    expect(readConfigSecrets(new ConfigReader({ a: 1 }))).toEqual([]);
  });
});
