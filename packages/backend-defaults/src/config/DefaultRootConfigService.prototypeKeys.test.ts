import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors';
import {
  DefaultRootConfigService,
  type DefaultRootConfigServiceOptions,
} from './DefaultRootConfigService';

/** The problem lines of the error that loading `files` rejects with. */
async function problems(
  files: Record<string, string>,
  options: DefaultRootConfigServiceOptions = {},
): Promise<string[]> {
  const dir = writeFiles(files);
  const error = await DefaultRootConfigService.create({
    cwd: dir,
    argv: [],
    env: {},
    packageDir: dir,
    ...options,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
  return (error as ConfigError).problems.map(p => p.message);
}

describe('DefaultRootConfigService', () => {
  it('refuses __proto__, constructor and prototype keys in a YAML file, at the top level and nested', async () => {
    await expect(
      problems({
        'app-config.yaml': [
          '__proto__:',
          '  polluted: true',
          'backend:',
          '  __proto__:',
          '    polluted: true',
          '  listen:',
          '    constructor: x',
          'catalog:',
          '  locations:',
          '    - prototype: { polluted: true }',
          '',
        ].join('\n'),
      }),
    ).resolves.toEqual([
      "Invalid config at '__proto__' (app-config.yaml): '__proto__' cannot be used as a key, as it names an object's prototype; rename the key.",
      "Invalid config at 'backend.__proto__' (app-config.yaml): '__proto__' cannot be used as a key, as it names an object's prototype; rename the key.",
      "Invalid config at 'backend.listen.constructor' (app-config.yaml): 'constructor' cannot be used as a key, as it names an object's constructor; rename the key.",
      "Invalid config at 'catalog.locations[0].prototype' (app-config.yaml): 'prototype' cannot be used as a key, as it names a class's prototype; rename the key.",
    ]);
  });

  it('refuses a prototype key at the top level of app-config.local.yaml', async () => {
    await expect(
      problems({
        'app-config.yaml': 'app: {}\n',
        'app-config.local.yaml': 'constructor: {}\n',
      }),
    ).resolves.toEqual([
      "Invalid config at 'constructor' (app-config.local.yaml): 'constructor' cannot be used as a key, as it names an object's constructor; rename the key.",
    ]);
  });

  it('refuses prototype keys in YAML and JSON documents that $include brings in, naming the included file', async () => {
    await expect(
      problems({
        'app-config.yaml':
          'backend: { $include: conf/backend.yaml }\napp: { $include: conf/app.json }\n',
        'conf/backend.yaml': 'listen:\n  __proto__: { port: 1 }\n',
        'conf/app.json': '{ "title": "x", "constructor": { "name": "y" } }',
      }),
    ).resolves.toEqual([
      "Invalid config at 'backend.listen.__proto__' (conf/backend.yaml): '__proto__' cannot be used as a key, as it names an object's prototype; rename the key.",
      "Invalid config at 'app.constructor' (conf/app.json): 'constructor' cannot be used as a key, as it names an object's constructor; rename the key.",
    ]);
  });

  it('refuses a prototype key in the name of an APP_CONFIG_ variable', async () => {
    await expect(
      problems(
        { 'app-config.yaml': 'app: {}\n' },
        {
          env: {
            APP_CONFIG_backend_constructor: '{}',
            APP_CONFIG_prototype: '1',
          },
        },
      ),
    ).resolves.toEqual([
      "Invalid config at 'backend.constructor' (APP_CONFIG_backend_constructor): 'constructor' cannot be used as a key, as it names an object's constructor; rename the key.",
      "Invalid config at 'prototype' (APP_CONFIG_prototype): 'prototype' cannot be used as a key, as it names a class's prototype; rename the key.",
    ]);
  });

  it('gives a refused key its code, its full key and the layer it came from', async () => {
    const dir = writeFiles({
      'app-config.yaml': 'backend:\n  __proto__: {}\n',
    });
    const error = (await DefaultRootConfigService.create({
      cwd: dir,
      argv: [],
      env: { APP_CONFIG_app: '{ "constructor": 1 }' },
      packageDir: dir,
    }).catch((e: unknown) => e)) as ConfigError;
    expect(error.problems).toEqual([
      expect.objectContaining({
        code: 'CONFIG_PROTOTYPE_KEY',
        key: 'backend.__proto__',
        source: 'app-config.yaml',
      }),
      expect.objectContaining({
        code: 'CONFIG_PROTOTYPE_KEY',
        key: 'app.constructor',
        source: 'APP_CONFIG_app',
      }),
    ]);
  });

  it('refuses a prototype key in the JSON value of an APP_CONFIG_ variable', async () => {
    await expect(
      problems(
        { 'app-config.yaml': 'app: {}\n' },
        {
          env: {
            APP_CONFIG_backend:
              '{ "listen": { "__proto__": { "port": 1 } }, "cors": [{ "constructor": 1 }] }',
            APP_CONFIG_app: '{ "__proto__": { "polluted": true } }',
          },
        },
      ),
    ).resolves.toEqual([
      "Invalid config at 'app.__proto__' (APP_CONFIG_app): '__proto__' cannot be used as a key, as it names an object's prototype; rename the key.",
      "Invalid config at 'backend.listen.__proto__' (APP_CONFIG_backend): '__proto__' cannot be used as a key, as it names an object's prototype; rename the key.",
      "Invalid config at 'backend.cors[0].constructor' (APP_CONFIG_backend): 'constructor' cannot be used as a key, as it names an object's constructor; rename the key.",
    ]);
  });

  it('refuses an APP_CONFIG_ name that spells __proto__, as its underscores make empty keys', async () => {
    await expect(
      problems(
        { 'app-config.yaml': 'app: {}\n' },
        { env: { APP_CONFIG_backend___proto___x: '1' } },
      ),
    ).resolves.toEqual([
      "Invalid config override in environment variable 'APP_CONFIG_backend___proto___x': the name has an empty key; name it APP_CONFIG_<key>_<key>... with one underscore between keys.",
    ]);
  });

  it('reports prototype keys together with the other problems', async () => {
    await expect(
      problems({
        'app-config.yaml':
          'backend:\n  __proto__: {}\n  listen:\n    port: 70a\n  listn: {}\n',
      }),
    ).resolves.toEqual([
      "Invalid config at 'backend.__proto__' (app-config.yaml): '__proto__' cannot be used as a key, as it names an object's prototype; rename the key.",
      'Invalid config at \'backend.listen.port\' (app-config.yaml): expected an integer, got "70a".',
      "Invalid config at 'backend.listn' (app-config.yaml): unknown key; did you mean 'backend.listen'?",
    ]);
  });
});

const tempDirs: string[] = [];

/**
 * A temporary directory holding `files` (path relative to it: content),
 * with a package.json.
 */
function writeFiles(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-config-'));
  tempDirs.push(dir);
  const all = { 'package.json': '{ "name": "app" }', ...files };
  for (const [name, content] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
