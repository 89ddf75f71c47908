import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from './ConfigReader';
import { ConfigError } from '../errors';
import {
  DefaultRootConfigService,
  readConfigWarnings,
  type DefaultRootConfigServiceOptions,
} from './DefaultRootConfigService';

/** An installed package whose schema declares the top-level key `catalog`. */
const catalogPackage = {
  'package.json':
    '{ "name": "app", "dependencies": { "@plinth/plugin-catalog-backend": "1" } }',
  'node_modules/@plinth/plugin-catalog-backend/package.json': JSON.stringify({
    name: '@plinth/plugin-catalog-backend',
    configSchema: {
      type: 'object',
      properties: {
        catalog: {
          type: 'object',
          properties: { locations: { type: 'array' } },
        },
      },
    },
  }),
};

/**
 * A Backstage plugin whose dependencies bring Backstage's backend-defaults,
 * with a schema like Backstage's own (its database clients, `app`
 * required), and `@backstage/integration`, which it depends on.
 */
const backstagePluginPackage = {
  'package.json':
    '{ "name": "app", "dependencies": { "@backstage/plugin-catalog-backend": "1" } }',
  'node_modules/@backstage/plugin-catalog-backend/package.json': JSON.stringify(
    {
      name: '@backstage/plugin-catalog-backend',
      dependencies: { '@backstage/backend-defaults': '1' },
      configSchema: {
        type: 'object',
        properties: {
          catalog: {
            type: 'object',
            properties: { locations: { type: 'array' } },
          },
        },
      },
    },
  ),
  'node_modules/@backstage/backend-defaults/package.json': JSON.stringify({
    name: '@backstage/backend-defaults',
    dependencies: { '@backstage/integration': '1' },
    configSchema: {
      type: 'object',
      required: ['app', 'backend'],
      properties: {
        app: { type: 'object', required: ['baseUrl'] },
        backend: {
          type: 'object',
          required: ['baseUrl'],
          properties: {
            database: {
              type: 'object',
              properties: {
                client: { enum: ['better-sqlite3', 'sqlite3', 'pg', 'mysql'] },
              },
            },
          },
        },
      },
    },
  }),
  'node_modules/@backstage/integration/package.json': JSON.stringify({
    name: '@backstage/integration',
    configSchema: {
      type: 'object',
      properties: {
        integrations: {
          type: 'object',
          properties: { github: { type: 'array' } },
        },
      },
    },
  }),
};

/**
 * Loads `app-config.yaml` (and `app-config.local.yaml`) written from
 * `files`, validated against this package's schema plus `schemas`.
 */
async function load(
  files: Record<string, string>,
  options: DefaultRootConfigServiceOptions = {},
) {
  const dir = writeFiles(files);
  return DefaultRootConfigService.create({
    cwd: dir,
    argv: [],
    env: {},
    packageDir: dir,
    ...options,
  });
}

/** The problem lines of the error that loading `files` rejects with. */
async function problems(
  files: Record<string, string>,
  options: DefaultRootConfigServiceOptions = {},
): Promise<string[]> {
  const error = await load(files, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
  return (error as ConfigError).problems.map(p => p.message);
}

describe('DefaultRootConfigService', () => {
  it('accepts a config that uses every key of its own schema', async () => {
    const config = await load({
      'app-config.yaml': fs.readFileSync(
        path.join(__dirname, '__fixtures__/complete-app-config.yaml'),
        'utf8',
      ),
    });
    expect(config.getNumber('backend.listen.port')).toBe(7007);
  });

  it("accepts Plinth's own config when a plugin brings Backstage's backend-defaults with its schema", async () => {
    const config = await load({
      ...backstagePluginPackage,
      'app-config.yaml': [
        'backend:',
        '  database:',
        '    client: pglite',
        'catalog:',
        '  locations: []',
      ].join('\n'),
    });
    expect(config.getString('backend.database.client')).toBe('pglite');
  });

  it("still validates the schemas of a Backstage plugin and of the libraries Backstage's backend-defaults depends on", async () => {
    await expect(
      problems({
        ...backstagePluginPackage,
        'app-config.yaml': [
          'catalog:',
          '  locations: 5',
          'integrations:',
          '  github: yes',
        ].join('\n'),
      }),
    ).resolves.toEqual([
      "Invalid config at 'catalog.locations' (app-config.yaml): expected an array, got 5.",
      'Invalid config at \'integrations.github\' (app-config.yaml): expected an array, got "yes".',
    ]);
  });

  it('names the expected and the found type of a value', async () => {
    await expect(
      problems({
        'app-config.yaml': 'backend:\n  listen:\n    port: 7007\n',
        'app-config.local.yaml': 'backend:\n  listen:\n    port: 70a\n',
      }),
    ).resolves.toEqual([
      'Invalid config at \'backend.listen.port\' (app-config.local.yaml): expected an integer, got "70a".',
    ]);
  });

  it("uses a schema node's title for what it expects", async () => {
    await expect(
      problems({
        'app-config.yaml':
          'backend:\n  listen:\n    port: 70000\n  lifecycle:\n    serverShutdownDelay: 30 s\n',
      }),
    ).resolves.toEqual([
      "Invalid config at 'backend.lifecycle.serverShutdownDelay' (app-config.yaml): expected a duration: milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S', got \"30 s\".",
      "Invalid config at 'backend.listen.port' (app-config.yaml): expected an integer 0-65535, got 70000.",
    ]);
  });

  it('lists the valid values of an enum', async () => {
    await expect(
      problems({
        'app-config.yaml': 'backend:\n  logging:\n    level: verbose\n',
      }),
    ).resolves.toEqual([
      "Invalid config at 'backend.logging.level' (app-config.yaml): expected one of 'error', 'warn', 'info', 'debug', got \"verbose\".",
    ]);
  });

  it('reports the errors of the anyOf branch that fits the type of the value', async () => {
    await expect(
      problems({
        'app-config.yaml':
          'discovery:\n  endpoints:\n    - target: { internal: 5 }\n      plugins: [catalog]\n',
      }),
    ).resolves.toEqual([
      "Invalid config at 'discovery.endpoints[0].target.internal' (app-config.yaml): expected a string, got 5.",
    ]);
  });

  it('lists what each anyOf branch expects when none fits and the schema has no title', async () => {
    const schema = {
      type: 'object',
      properties: {
        plugin: {
          type: 'object',
          properties: {
            mode: {
              anyOf: [{ type: 'string' }, { const: false }, { type: 'array' }],
            },
          },
        },
      },
    };
    await expect(
      problems(
        { 'app-config.yaml': 'plugin:\n  mode: 5\n' },
        { schemas: [{ packageName: 'plugin-x', schema }] },
      ),
    ).resolves.toEqual([
      "Invalid config at 'plugin.mode' (app-config.yaml): expected a string or false or an array, got 5.",
    ]);
  });

  it('describes what range, length, size, pattern and const keywords expect', async () => {
    const schema = {
      type: 'object',
      properties: {
        plugin: {
          type: 'object',
          properties: {
            ratio: { type: 'number', exclusiveMinimum: 0 },
            name: { type: 'string', minLength: 3, maxLength: 5 },
            short: { type: 'string', maxLength: 2 },
            tags: { type: 'array', minItems: 1 },
            hosts: { type: 'array', maxItems: 1 },
            id: { type: 'string', pattern: '^[a-z]+$' },
            mode: { const: 'strict' },
          },
        },
      },
    };
    await expect(
      problems(
        {
          'app-config.yaml': [
            'plugin:',
            '  ratio: 0',
            '  name: ab',
            '  short: abc',
            '  tags: []',
            '  hosts: [a, b]',
            '  id: A1',
            '  mode: lax',
            '',
          ].join('\n'),
        },
        { schemas: [{ packageName: 'plugin-x', schema }] },
      ),
    ).resolves.toEqual([
      "Invalid config at 'plugin.hosts' (app-config.yaml): expected an array of at most 1 item, got an array.",
      'Invalid config at \'plugin.id\' (app-config.yaml): expected a string matching /^[a-z]+$/, got "A1".',
      "Invalid config at 'plugin.mode' (app-config.yaml): expected 'strict', got \"lax\".",
      'Invalid config at \'plugin.name\' (app-config.yaml): expected a string of at least 3 characters, got "ab".',
      "Invalid config at 'plugin.ratio' (app-config.yaml): expected a number > 0, got 0.",
      'Invalid config at \'plugin.short\' (app-config.yaml): expected a string of at most 2 characters, got "abc".',
      "Invalid config at 'plugin.tags' (app-config.yaml): expected an array of at least 1 item, got an array.",
    ]);
  });

  it('reports a value that matches several oneOf branches', async () => {
    const schema = {
      type: 'object',
      properties: {
        plugin: {
          type: 'object',
          properties: {
            limit: { oneOf: [{ type: 'number' }, { type: 'integer' }] },
          },
        },
      },
    };
    await expect(
      problems(
        { 'app-config.yaml': 'plugin:\n  limit: 3\n' },
        { schemas: [{ packageName: 'plugin-x', schema }] },
      ),
    ).resolves.toEqual([
      "Invalid config at 'plugin.limit' (app-config.yaml): expected a value that matches exactly one of the allowed shapes, got 3.",
    ]);
  });

  it('names keywords without a phrase of their own by keyword and message', async () => {
    const schema = {
      type: 'object',
      properties: {
        plugin: {
          type: 'object',
          properties: { workers: { type: 'integer', multipleOf: 2 } },
        },
      },
    };
    await expect(
      problems(
        { 'app-config.yaml': 'plugin:\n  workers: 3\n' },
        { schemas: [{ packageName: 'plugin-x', schema }] },
      ),
    ).resolves.toEqual([
      "Invalid config at 'plugin.workers' (app-config.yaml): expected a value that satisfies 'multipleOf' (must be multiple of 2), got 3.",
    ]);
  });

  it('suggests the closest declared key for an unknown key', async () => {
    await expect(
      problems({
        'app-config.yaml':
          'backend:\n  listn:\n    port: 7007\n  Baseurl: http://x\n',
      }),
    ).resolves.toEqual([
      "Invalid config at 'backend.Baseurl' (app-config.yaml): unknown key; did you mean 'backend.baseUrl'?",
      "Invalid config at 'backend.listn' (app-config.yaml): unknown key; did you mean 'backend.listen'?",
    ]);
  });

  it('lists the declared keys for an unknown key with no close match', async () => {
    await expect(
      problems({ 'app-config.yaml': 'backend:\n  listen:\n    address: x\n' }),
    ).resolves.toEqual([
      "Invalid config at 'backend.listen.address' (app-config.yaml): unknown key; remove it, or use one of the known keys 'host', 'port'.",
    ]);
  });

  it('reports an unknown key where a schema declares no keys at all', async () => {
    const schema = {
      type: 'object',
      properties: {
        plugin: { type: 'object', properties: {}, additionalProperties: false },
      },
    };
    await expect(
      problems(
        { 'app-config.yaml': 'plugin:\n  extra: 1\n' },
        { schemas: [{ packageName: 'plugin-x', schema }] },
      ),
    ).resolves.toEqual([
      "Invalid config at 'plugin.extra' (app-config.yaml): unknown key; remove it, as no config schema declares keys here.",
    ]);
  });

  it('accepts keys that additionalProperties allows and top-level keys no schema declares', async () => {
    const config = await load({
      'app-config.yaml': [
        'app:',
        '  anything: [1, 2]',
        'backend:',
        '  database:',
        '    client: pg',
        '    plugin:',
        '      catalog:',
        '        connection: { host: db, port: 5432 }',
        '  csp:',
        "    script-src: ['self']",
        '    upgrade-insecure-requests: false',
        '  scheduler:',
        '    pollInterval: { seconds: 5 }',
        '',
      ].join('\n'),
    });
    expect(config.getString('backend.database.client')).toBe('pg');
  });

  it('refuses a top-level key close to one an installed schema declares', async () => {
    await expect(
      problems({
        ...catalogPackage,
        'app-config.yaml': 'catlog:\n  locations: []\n',
      }),
    ).resolves.toEqual([
      "Invalid config at 'catlog' (app-config.yaml): unknown key; did you mean 'catalog'?",
    ]);
  });

  it('names a top-level key that no installed schema declares in a warning', async () => {
    const config = await load({
      ...catalogPackage,
      'app-config.yaml': 'catalog:\n  locations: []\nmyplugin:\n  on: true\n',
    });
    expect(readConfigWarnings(config)).toEqual([
      "Config key 'myplugin' (app-config.yaml) is not declared by any installed package's config schema, so it is not checked; check its spelling, or declare it in the config schema of the plugin that reads it.",
    ]);
  });

  it('names every undeclared top-level key in one warning, with the layer it comes from', async () => {
    const config = await load(
      {
        ...catalogPackage,
        'app-config.yaml': 'myplugin:\n  on: true\n',
        'app-config.local.yaml': 'search: {}\n',
      },
      { env: { APP_CONFIG_techdocs_builder: '"local"' } },
    );
    expect(readConfigWarnings(config)).toEqual([
      "Config keys 'myplugin' (app-config.yaml), 'search' (app-config.local.yaml), 'techdocs' (APP_CONFIG_techdocs_builder) are not declared by any installed package's config schema, so they are not checked; check their spelling, or declare them in the config schemas of the plugins that read them.",
    ]);
  });

  it('warns about no top-level key when no installed package declares a schema', async () => {
    const config = await load({ 'app-config.yaml': 'myplugin:\n  on: true\n' });
    expect(config.getBoolean('myplugin.on')).toBe(true);
    expect(readConfigWarnings(config)).toEqual([]);
  });

  it('has no warnings for a config it did not load', () => {
    expect(readConfigWarnings(new ConfigReader({ myplugin: {} }))).toEqual([]);
  });

  it('declares a key when any schema declares it at that path', async () => {
    const schema = {
      type: 'object',
      properties: {
        backend: {
          type: 'object',
          properties: {
            myPlugin: {
              type: 'object',
              properties: { on: { type: 'boolean' } },
            },
          },
        },
      },
    };
    const config = await load(
      { 'app-config.yaml': 'backend:\n  myPlugin:\n    on: true\n' },
      { schemas: [{ packageName: 'plugin-x', schema }] },
    );
    expect(config.getBoolean('backend.myPlugin.on')).toBe(true);
  });

  it('names the key and the package whose schema requires a missing value', async () => {
    const schema = {
      type: 'object',
      properties: {
        plugin: {
          type: 'object',
          properties: { token: { type: 'string' }, url: { type: 'string' } },
          required: ['token'],
        },
      },
    };
    await expect(
      problems(
        {
          'app-config.yaml': 'plugin:\n  url: http://x\n',
          'app-config.local.yaml': 'app: {}\n',
        },
        { schemas: [{ packageName: 'plugin-x', schema }] },
      ),
    ).resolves.toEqual([
      "Missing required config value at 'plugin.token', which the config schema of 'plugin-x' requires; set it in 'app-config.yaml' or 'app-config.local.yaml'.",
    ]);
  });

  it('reports a problem that two schemas find only once', async () => {
    const schema = {
      type: 'object',
      properties: {
        backend: {
          type: 'object',
          properties: {
            listen: {
              type: 'object',
              properties: { port: { type: 'integer' } },
            },
          },
        },
      },
    };
    await expect(
      problems(
        { 'app-config.yaml': 'backend:\n  listen:\n    port: x\n' },
        { schemas: [{ packageName: 'plugin-x', schema }] },
      ),
    ).resolves.toEqual([
      'Invalid config at \'backend.listen.port\' (app-config.yaml): expected an integer, got "x".',
    ]);
  });

  it('passes strings that read as numbers or booleans, as environment values do', async () => {
    const config = await load(
      {
        'app-config.yaml':
          'backend:\n  listen:\n    port: ${PORT}\n  auth:\n    developmentToken: ${DEV_TOKEN}\n',
      },
      { env: { PORT: '7008', DEV_TOKEN: 'true' } },
    );
    expect(config.getNumber('backend.listen.port')).toBe(7008);
    expect(config.getBoolean('backend.auth.developmentToken')).toBe(true);
    expect(config.get('backend.listen.port')).toBe('7008');
  });

  it('does not print a value that a schema marks secret or that came from a substitution', async () => {
    await expect(
      problems(
        {
          'app-config.yaml':
            'backend:\n  auth:\n    keys:\n      - secret: 12345\n  listen:\n    port: ${PORT}\n',
        },
        { env: { PORT: 'seven' } },
      ),
    ).resolves.toEqual([
      "Invalid config at 'backend.auth.keys[0].secret' (app-config.yaml): expected a string, got a number (secret, not shown).",
      "Invalid config at 'backend.listen.port' (app-config.yaml): expected an integer, got a string (secret, not shown).",
    ]);
  });

  it('reports only the substitution error for a value that could not be substituted', async () => {
    const schema = {
      type: 'object',
      properties: {
        plugin: {
          type: 'object',
          properties: { token: { type: 'string' } },
          required: ['token'],
        },
      },
    };
    await expect(
      problems(
        { 'app-config.yaml': 'plugin:\n  token: ${TOKEN}\n' },
        { schemas: [{ packageName: 'plugin-x', schema }] },
      ),
    ).resolves.toEqual([
      "Invalid config at 'plugin.token' (app-config.yaml): environment variable 'TOKEN' is not set; set it, or write '$${TOKEN}' to keep the text literally.",
    ]);
  });

  it('reports a schema that is not valid JSON Schema', async () => {
    const schema = {
      type: 'object',
      properties: { plugin: { type: 'string', visibility: 'private' } },
    };
    await expect(
      problems(
        { 'app-config.yaml': 'app: {}\n' },
        { schemas: [{ packageName: 'plugin-x', schema }] },
      ),
    ).resolves.toEqual([
      `Invalid config schema of package 'plugin-x': keyword "visibility" value is invalid at path "#/properties/plugin": data must be equal to one of the allowed values; fix the schema, which must be draft-07 JSON Schema with 'visibility' one of 'frontend', 'backend' or 'secret'.`,
    ]);
  });
});

const tempDirs: string[] = [];

/** A temporary directory holding `files` and a package.json. */
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
