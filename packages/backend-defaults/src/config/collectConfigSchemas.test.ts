import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectConfigSchemas } from './collectConfigSchemas';

const ownSchema = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../config.schema.json'), 'utf8'),
) as object;

const schemaOf = (name: string) => ({
  type: 'object',
  properties: { [name]: { type: 'string' } },
});

describe('collectConfigSchemas', () => {
  it('collects inline and file schemas through the dependency closure, skipping packages it cannot resolve', async () => {
    const dir = writeFiles({
      'backend/package.json': manifest('backend', {
        dependencies: { 'plugin-a': '1', 'not-installed': '1' },
      }),
      'node_modules/plugin-a/package.json': manifest('plugin-a', {
        dependencies: { 'lib-b': '1', 'lib-c': '1' },
        configSchema: schemaOf('a'),
      }),
      'node_modules/plugin-a/node_modules/lib-c/package.json': manifest(
        'lib-c',
        { dependencies: { 'plugin-a': '1' }, configSchema: 'schema/c.json' },
      ),
      'node_modules/plugin-a/node_modules/lib-c/schema/c.json': JSON.stringify(
        schemaOf('c'),
      ),
      'node_modules/lib-b/package.json': manifest('lib-b', {
        exports: { '.': './index.js' },
        configSchema: schemaOf('b'),
      }),
      'node_modules/lib-b/index.js': '',
      'node_modules/unused/package.json': manifest('unused', {
        configSchema: schemaOf('unused'),
      }),
    });
    await expect(
      collectConfigSchemas(path.join(dir, 'backend')),
    ).resolves.toEqual({
      schemas: [
        { packageName: 'plugin-a', schema: schemaOf('a') },
        { packageName: 'lib-b', schema: schemaOf('b') },
        { packageName: 'lib-c', schema: schemaOf('c') },
        { packageName: '@plinth/backend-defaults', schema: ownSchema },
      ],
      problems: [],
      fromPackages: true,
    });
  });

  it('includes the schema of the starting package itself', async () => {
    const dir = writeFiles({
      'package.json': manifest('backend', { configSchema: schemaOf('x') }),
    });
    const { schemas } = await collectConfigSchemas(dir);
    expect(schemas.map(s => s.packageName)).toEqual([
      'backend',
      '@plinth/backend-defaults',
    ]);
  });

  it("takes this package's schema from the closure when the closure has it", async () => {
    const dir = writeFiles({
      'package.json': manifest('backend', {
        dependencies: { '@plinth/backend-defaults': '1' },
      }),
      'node_modules/@plinth/backend-defaults/package.json': manifest(
        '@plinth/backend-defaults',
        { configSchema: schemaOf('copy') },
      ),
    });
    await expect(collectConfigSchemas(dir)).resolves.toEqual({
      schemas: [
        { packageName: '@plinth/backend-defaults', schema: schemaOf('copy') },
      ],
      problems: [],
      fromPackages: true,
    });
  });

  it('says when no package of the closure declares a schema, so that only its own was added', async () => {
    const dir = writeFiles({
      'package.json': manifest('backend', { dependencies: { 'lib-a': '1' } }),
      'node_modules/lib-a/package.json': manifest('lib-a', {}),
    });
    await expect(collectConfigSchemas(dir)).resolves.toEqual({
      schemas: [{ packageName: '@plinth/backend-defaults', schema: ownSchema }],
      problems: [],
      fromPackages: false,
    });
  });

  it('reports a starting directory without a package.json', async () => {
    const dir = writeFiles({});
    const { schemas, problems } = await collectConfigSchemas(dir);
    expect(schemas.map(s => s.packageName)).toEqual([
      '@plinth/backend-defaults',
    ]);
    expect(problems.map(p => p.message)).toEqual([
      `Could not read 'package.json' in '${fs.realpathSync(dir)}' to find config schemas: ENOENT: no such file or directory, open '${fs.realpathSync(dir)}/package.json'; pass a package directory as packageDir.`,
    ]);
  });

  it('reports a configSchema that is neither an object nor a .json path', async () => {
    const dir = writeFiles({
      'package.json': manifest('backend', { configSchema: 'config.d.ts' }),
    });
    const { problems } = await collectConfigSchemas(dir);
    expect(problems.map(p => p.message)).toEqual([
      `Could not use the config schema of package 'backend': 'configSchema' in its package.json must be a JSON Schema object or a path to a .json file, got "config.d.ts"; convert the schema to a JSON file.`,
    ]);
  });

  it('reports a schema file that does not exist', async () => {
    const dir = writeFiles({
      'package.json': manifest('backend', { configSchema: 'schema.json' }),
    });
    const { problems } = await collectConfigSchemas(dir);
    expect(problems.map(p => p.message)).toEqual([
      `Could not read the config schema of package 'backend' from 'schema.json': ENOENT: no such file or directory, open '${fs.realpathSync(dir)}/schema.json'; fix 'configSchema' in its package.json.`,
    ]);
  });

  it('reports a schema file that is not JSON', async () => {
    const dir = writeFiles({
      'package.json': manifest('backend', { configSchema: 'schema.json' }),
      'schema.json': '{ type: object }',
    });
    const { problems } = await collectConfigSchemas(dir);
    expect(problems.map(p => p.message)).toEqual([
      `Could not parse the config schema of package 'backend' in 'schema.json': Expected property name or '}' in JSON at position 2; write it as a JSON object.`,
    ]);
  });

  it('reports a schema file whose JSON is not an object', async () => {
    const dir = writeFiles({
      'package.json': manifest('backend', { configSchema: 'schema.json' }),
      'schema.json': '[]',
    });
    const { problems } = await collectConfigSchemas(dir);
    expect(problems.map(p => p.message)).toEqual([
      `Could not parse the config schema of package 'backend' in 'schema.json': it is not an object; write it as a JSON object.`,
    ]);
  });
});

function manifest(name: string, fields: object): string {
  return JSON.stringify({ name, version: '1.0.0', ...fields });
}

const tempDirs: string[] = [];

/** A temporary directory holding `files` (path relative to it: content). */
function writeFiles(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-config-'));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
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
