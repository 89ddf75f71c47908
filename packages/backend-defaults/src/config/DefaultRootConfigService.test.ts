import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors';
import {
  DefaultRootConfigService,
  readConfigSecrets,
  type DefaultRootConfigServiceOptions,
} from './DefaultRootConfigService';

/**
 * Loads config from `dir` with no arguments and no environment; the
 * package in `dir` has no dependencies, so only this package's own schema
 * applies.
 */
function load(dir: string, options: DefaultRootConfigServiceOptions = {}) {
  return DefaultRootConfigService.create({
    cwd: dir,
    argv: [],
    env: {},
    packageDir: dir,
    ...options,
  });
}

/** The message of the error `load` rejects with. */
async function loadError(
  dir: string,
  options: DefaultRootConfigServiceOptions = {},
): Promise<string> {
  const error = await load(dir, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
  return (error as ConfigError).message;
}

describe('DefaultRootConfigService', () => {
  it('reads app-config.yaml and lets app-config.local.yaml win over it', async () => {
    const dir = writeFiles({
      'app-config.yaml':
        'app:\n  title: Plinth\n  owner: team-a\nbackend:\n  listen:\n    port: 7007\n',
      'app-config.local.yaml': 'app:\n  title: Local\n',
    });
    const config = await load(dir);
    expect(config.get('app')).toEqual({ title: 'Local', owner: 'team-a' });
    expect(config.getNumber('backend.listen.port')).toBe(7007);
  });

  it('reads app-config.yaml alone when there is no local file', async () => {
    const dir = writeFiles({ 'app-config.yaml': 'app:\n  title: Plinth\n' });
    const config = await load(dir);
    expect(config.getString('app.title')).toBe('Plinth');
  });

  it('reads the --config files in order instead of the default files, later ones winning', async () => {
    const dir = writeFiles({
      'app-config.yaml': 'app:\n  ignored: true\n',
      'app-config.local.yaml': 'app:\n  ignored: true\n',
      'config/base.yaml': 'app:\n  title: Base\n  owner: team-a\n',
      'config/production.yaml': 'app:\n  title: Production\n',
    });
    const config = await load(path.join(dir, 'config'), {
      argv: [
        'node',
        'index.js',
        '--config',
        'base.yaml',
        '--config=production.yaml',
      ],
      packageDir: dir,
    });
    expect(config.get('app')).toEqual({ title: 'Production', owner: 'team-a' });
  });

  it('reads the default files from the nearest ancestor whose package.json has workspaces', async () => {
    const dir = writeFiles({
      'package.json': '{ "name": "root", "workspaces": ["packages/*"] }',
      'app-config.yaml': 'app:\n  title: Root\n',
      'packages/backend/package.json': '{ "name": "backend" }',
      'packages/backend/app-config.yaml': 'app:\n  title: Package\n',
    });
    const config = await load(path.join(dir, 'packages/backend'));
    expect(config.getString('app.title')).toBe('Root');
  });

  it('reads an empty config file as an empty layer', async () => {
    const dir = writeFiles({
      'app-config.yaml': 'app:\n  title: Plinth\n',
      'app-config.local.yaml': '# nothing here yet\n',
    });
    const config = await load(dir);
    expect(config.getString('app.title')).toBe('Plinth');
  });

  it('reports a missing config file', async () => {
    const dir = writeFiles({});
    await expect(loadError(dir)).resolves.toBe(
      "Backend config is invalid; fix this problem and start the backend again:\n  - Could not read config file 'app-config.yaml': the file does not exist; create it, or pass an existing file with --config.",
    );
  });

  it('reports a config file that cannot be read', async () => {
    const dir = writeFiles({ 'conf.yaml/x': '' });
    await expect(
      loadError(dir, { argv: ['--config', 'conf.yaml'] }),
    ).resolves.toBe(
      "Backend config is invalid; fix this problem and start the backend again:\n  - Could not read config file 'conf.yaml': EISDIR: illegal operation on a directory, read; point --config at a readable file.",
    );
  });

  it('reports a YAML syntax error with its line and column', async () => {
    const dir = writeFiles({
      'app-config.yaml': 'app:\n  title: Plinth\n  title: Again\n',
    });
    await expect(loadError(dir)).resolves.toBe(
      "Backend config is invalid; fix this problem and start the backend again:\n  - Could not parse config file 'app-config.yaml': invalid YAML at line 3, column 3 (Map keys must be unique); fix the syntax there.",
    );
  });

  it('points a mis-indented line at its first character, not at column 1', async () => {
    const dir = writeFiles({
      'app-config.yaml':
        'backend:\n  listen:\n    port: 7007\n   host: 127.0.0.1\n',
    });
    await expect(loadError(dir)).resolves.toBe(
      "Backend config is invalid; fix this problem and start the backend again:\n  - Could not parse config file 'app-config.yaml': invalid YAML at line 4, column 4 (All mapping items must start at the same column); fix the syntax there.",
    );
  });

  it('reports a config file with several YAML documents', async () => {
    const dir = writeFiles({ 'app-config.yaml': 'a: 1\n---\nb: 2\n' });
    await expect(loadError(dir)).resolves.toBe(
      "Backend config is invalid; fix this problem and start the backend again:\n  - Could not parse config file 'app-config.yaml': invalid YAML at line 2, column 1 (the file holds several documents separated by '---'; keep one); fix the syntax there.",
    );
  });

  it('reports a config document that is not an object', async () => {
    const dir = writeFiles({ 'app-config.yaml': '- a\n- b\n' });
    await expect(loadError(dir)).resolves.toBe(
      "Backend config is invalid; fix this problem and start the backend again:\n  - Could not use config file 'app-config.yaml': its document is an array, not an object of keys; write it as 'key: value' lines.",
    );
  });

  it('reports --config without a path', async () => {
    const dir = writeFiles({ 'app-config.yaml': 'a: 1\n' });
    await expect(loadError(dir, { argv: ['--config'] })).resolves.toBe(
      "Backend config is invalid; fix this problem and start the backend again:\n  - Could not read config files: '--config' is the last argument and has no path; pass it as '--config <path>' or '--config=<path>'.",
    );
  });

  it('names a config file outside the root directory by its absolute path', async () => {
    const dir = writeFiles({});
    const outside = writeFiles({ 'extra.yaml': '[1]\n' });
    await expect(
      loadError(dir, { argv: [`--config=${outside}/extra.yaml`] }),
    ).resolves.toBe(
      `Backend config is invalid; fix this problem and start the backend again:\n  - Could not use config file '${outside}/extra.yaml': its document is an array, not an object of keys; write it as 'key: value' lines.`,
    );
  });

  it('lets APP_CONFIG_ variables win over every file and names them in errors', async () => {
    const dir = writeFiles({
      'app-config.yaml': 'app:\n  title: File\n  owner: team-a\n',
    });
    const config = await load(dir, {
      env: {
        APP_CONFIG_app_title: '"Env"',
        APP_CONFIG_app_flags: '{ "beta": true }',
        APP_CONFIG_app_count: '"x"',
      },
    });
    expect(config.get('app')).toEqual({
      title: 'Env',
      owner: 'team-a',
      flags: { beta: true },
      count: 'x',
    });
    expect(() => config.getNumber('app.count')).toThrow(
      'Invalid config at \'app.count\' (APP_CONFIG_app_count): expected a number, got "x".',
    );
  });

  it('reports an APP_CONFIG_ value that is not JSON', async () => {
    const dir = writeFiles({ 'app-config.yaml': 'a: 1\n' });
    await expect(
      loadError(dir, { env: { APP_CONFIG_backend_baseUrl: 'http://x' } }),
    ).resolves.toBe(
      `Backend config is invalid; fix this problem and start the backend again:\n  - Invalid config override in environment variable 'APP_CONFIG_backend_baseUrl': the value is not JSON; quote text as a JSON string, as in APP_CONFIG_backend_baseUrl='"some text"'.`,
    );
  });

  it('reports an APP_CONFIG_ name with an empty key', async () => {
    const dir = writeFiles({ 'app-config.yaml': 'a: 1\n' });
    await expect(
      loadError(dir, { env: { APP_CONFIG_app__title: '"x"' } }),
    ).resolves.toBe(
      "Backend config is invalid; fix this problem and start the backend again:\n  - Invalid config override in environment variable 'APP_CONFIG_app__title': the name has an empty key; name it APP_CONFIG_<key>_<key>... with one underscore between keys.",
    );
  });

  it('reports APP_CONFIG_ variables that set a value and a key below it', async () => {
    const dir = writeFiles({ 'app-config.yaml': 'a: 1\n' });
    await expect(
      loadError(dir, {
        env: { APP_CONFIG_app: '"x"', APP_CONFIG_app_title: '"y"' },
      }),
    ).resolves.toBe(
      "Backend config is invalid; fix this problem and start the backend again:\n  - Invalid config override in environment variables 'APP_CONFIG_app' and 'APP_CONFIG_app_title': the first sets a value that is not an object, so the second cannot set a key below it; remove one of them.",
    );
  });

  it('reports every problem of loading and validation in one error', async () => {
    const dir = writeFiles({
      'app-config.yaml':
        'backend:\n  baseUrl: ${BASE_URL}\n  listn:\n    port: 7007\n  auth:\n    keys:\n      - secret: { $file: missing.txt }\n',
      'app-config.local.yaml': 'backend:\n  listen:\n    port: 70a\n',
    });
    await expect(
      loadError(dir, { env: { APP_CONFIG_backend_cache_store: 'redis' } }),
    ).resolves.toBe(
      [
        'Backend config is invalid; fix these 5 problems and start the backend again:',
        "  - Invalid config at 'backend.baseUrl' (app-config.yaml): environment variable 'BASE_URL' is not set; set it, or write '$${BASE_URL}' to keep the text literally.",
        "  - Invalid config at 'backend.auth.keys[0].secret' (app-config.yaml): file 'missing.txt' given to '$file' does not exist; create it or fix the path, which is relative to the directory of 'app-config.yaml'.",
        `  - Invalid config override in environment variable 'APP_CONFIG_backend_cache_store': the value is not JSON; quote text as a JSON string, as in APP_CONFIG_backend_cache_store='"some text"'.`,
        '  - Invalid config at \'backend.listen.port\' (app-config.local.yaml): expected an integer, got "70a".',
        "  - Invalid config at 'backend.listn' (app-config.yaml): unknown key; did you mean 'backend.listen'?",
      ].join('\n'),
    );
  });

  it('carries the problems as errors and no stack trace', async () => {
    const dir = writeFiles({});
    const error = (await load(dir).catch((e: unknown) => e)) as ConfigError;
    expect(error.stack).toBe(`ConfigError: ${error.message}`);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems).toEqual([
      expect.objectContaining({
        name: 'ConfigError',
        code: 'CONFIG_FILE_MISSING',
        source: 'app-config.yaml',
      }),
    ]);
  });

  it('records secrets from substitutions and from secret keys in the layer they come from', async () => {
    const dir = writeFiles({
      'app-config.yaml': [
        'app:',
        '  url: https://${HOST}/x',
        '  token: { $env: TOKEN }',
        '  key: { $file: key.txt }',
        'backend:',
        '  auth:',
        '    keys:',
        '      - secret: file-secret',
        '',
      ].join('\n'),
      'app-config.local.yaml':
        'backend:\n  database:\n    connection:\n      host: db\n      password: local-pw\n',
      'key.txt': 'file-key',
    });
    const config = await load(dir, {
      env: {
        HOST: 'example.com',
        TOKEN: 'env-token',
        APP_CONFIG_backend_cache_connection: '"redis://:pw@cache"',
      },
    });
    expect(readConfigSecrets(config)).toEqual([
      'example.com',
      'env-token',
      'file-key',
      'file-secret',
      'local-pw',
      'redis://:pw@cache',
    ]);
    expect(readConfigSecrets(config, { declaredOnly: true })).toEqual([
      'file-secret',
      'local-pw',
      'redis://:pw@cache',
    ]);
  });

  it('marks a whole connection string secret but only the password of a connection object', async () => {
    const dir = writeFiles({
      'app-config.yaml': [
        'backend:',
        '  database:',
        '    client: pg',
        '    connection: postgres://app:pw1@db/app',
        '    plugin:',
        '      catalog:',
        '        connection: { host: catalog-db, user: cat, password: pw2 }',
        '',
      ].join('\n'),
    });
    const config = await load(dir);
    expect(readConfigSecrets(config)).toEqual([
      'postgres://app:pw1@db/app',
      'pw2',
    ]);
  });

  it('marks every value below deepVisibility secret, and no value a secret branch does not fit', async () => {
    const dir = writeFiles({
      'app-config.yaml': [
        'plugin:',
        '  credentials: { user: u, keys: [k1, 42] }',
        '  limit: 10',
        '',
      ].join('\n'),
    });
    const schema = {
      type: 'object',
      properties: {
        plugin: {
          type: 'object',
          properties: {
            credentials: { type: 'object', deepVisibility: 'secret' },
            limit: {
              anyOf: [
                { type: 'string', visibility: 'secret' },
                { type: 'number' },
              ],
            },
          },
        },
      },
    };
    const config = await load(dir, {
      schemas: [{ packageName: 'plugin-x', schema }],
    });
    expect(readConfigSecrets(config)).toEqual(['u', 'k1', '42']);
  });

  it('validates against the schemas of the dependencies of the package directory', async () => {
    const dir = writeFiles({
      'package.json': '{ "name": "app", "dependencies": { "plugin-x": "1" } }',
      'node_modules/plugin-x/package.json':
        '{ "name": "plugin-x", "configSchema": "schema.json" }',
      'node_modules/plugin-x/schema.json': JSON.stringify({
        type: 'object',
        properties: {
          plugin: {
            type: 'object',
            properties: { url: { type: 'string' } },
            required: ['url'],
          },
        },
      }),
      'app-config.yaml': 'plugin:\n  uri: http://x\n',
    });
    await expect(loadError(dir)).resolves.toBe(
      [
        'Backend config is invalid; fix these 2 problems and start the backend again:',
        "  - Invalid config at 'plugin.uri' (app-config.yaml): unknown key; did you mean 'plugin.url'?",
        "  - Missing required config value at 'plugin.url', which the config schema of 'plugin-x' requires; set it in 'app-config.yaml'.",
      ].join('\n'),
    );
  });
});

const tempDirs: string[] = [];

/**
 * A temporary directory holding `files` (path relative to it: content),
 * with a package.json unless `files` has one.
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
