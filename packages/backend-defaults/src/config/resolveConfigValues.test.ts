import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JsonValue } from '@plinth/backend-plugin-api';
import { resolveConfigValues } from './resolveConfigValues';

/** Resolves `value` as if it were written in `<dir>/app-config.yaml`. */
function resolve(
  dir: string,
  value: JsonValue,
  env: Record<string, string> = {},
) {
  return resolveConfigValues(value, {
    file: path.join(dir, 'app-config.yaml'),
    describeFile: file => path.relative(dir, file),
    env,
  });
}

describe('resolveConfigValues', () => {
  it('substitutes several variables in one string and records their values as secrets', async () => {
    const dir = writeFiles({});
    await expect(
      resolve(
        dir,
        { db: { url: 'postgres://${USER}:${ PASSWORD }@db:5432' } },
        { USER: 'plinth', PASSWORD: 's3cret' },
      ),
    ).resolves.toEqual({
      value: { db: { url: 'postgres://plinth:s3cret@db:5432' } },
      secrets: ['plinth', 's3cret'],
      problems: [],
    });
  });

  it('writes a literal ${ for $${', async () => {
    const dir = writeFiles({});
    const result = await resolve(
      dir,
      { text: 'cost: $${AMOUNT} and ${A}' },
      {
        A: 'a',
      },
    );
    expect(result.value).toEqual({ text: 'cost: ${AMOUNT} and a' });
  });

  it('reports an unset variable with its key, file and name', async () => {
    const dir = writeFiles({});
    const result = await resolve(dir, { backend: { baseUrl: '${BASE_URL}' } });
    expect(result.value).toEqual({ backend: {} });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'backend.baseUrl' (app-config.yaml): environment variable 'BASE_URL' is not set; set it, or write '$${BASE_URL}' to keep the text literally.",
    ]);
    expect(result.problems.map(p => p.code)).toEqual(
      result.problems.map(() => 'CONFIG_SUBSTITUTION_UNSET_VARIABLE'),
    );
  });

  it('reports a reference that holds no variable name', async () => {
    const dir = writeFiles({});
    const result = await resolve(dir, { a: 'x ${1-A} y' });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'a' (app-config.yaml): '${1-A}' is not a valid variable reference; write '${NAME}' with letters, digits and underscores, or '$${' for a literal '${'.",
    ]);
    expect(result.problems.map(p => p.code)).toEqual(
      result.problems.map(() => 'CONFIG_SUBSTITUTION_INVALID'),
    );
  });

  it('replaces $env with the variable and records it as a secret', async () => {
    const dir = writeFiles({});
    await expect(
      resolve(dir, { token: { $env: 'TOKEN' } }, { TOKEN: 'abc123' }),
    ).resolves.toEqual({
      value: { token: 'abc123' },
      secrets: ['abc123'],
      problems: [],
    });
  });

  it('reports $env of an unset variable', async () => {
    const dir = writeFiles({});
    const result = await resolve(dir, { auth: [{ token: { $env: 'TOKEN' } }] });
    expect(result.value).toEqual({ auth: [{}] });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'auth[0].token' (app-config.yaml): environment variable 'TOKEN' given to '$env' is not set; set it before starting the backend.",
    ]);
    expect(result.problems.map(p => p.code)).toEqual(
      result.problems.map(() => 'CONFIG_SUBSTITUTION_UNSET_VARIABLE'),
    );
  });

  it('reports $env, $file and $include arguments that are not strings', async () => {
    const dir = writeFiles({});
    const result = await resolve(dir, {
      a: { $env: 5 },
      b: { $file: '' },
      c: { $include: ['x.yaml'] },
    });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'a' (app-config.yaml): '$env' needs the name of an environment variable, got 5; write it as '$env: <NAME>'.",
      "Invalid config at 'b' (app-config.yaml): '$file' needs a file path, got \"\"; write it as '$file: <path>'.",
      "Invalid config at 'c' (app-config.yaml): '$include' needs a file path, got an array; write it as '$include: <path>'.",
    ]);
  });

  it('reports $env, $file or $include sharing its object with other keys', async () => {
    const dir = writeFiles({});
    const result = await resolve(
      dir,
      { a: { $env: 'A', default: 'x', other: 1 }, b: { $file: 'f', c: 1 } },
      { A: 'a' },
    );
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'a' (app-config.yaml): '$env' must be the only key of its object, but 'default', 'other' are there too; move the other keys elsewhere.",
      "Invalid config at 'b' (app-config.yaml): '$file' must be the only key of its object, but 'c' is there too; move the other keys elsewhere.",
    ]);
  });

  it('replaces $file with the content of a file relative to the config file, as a secret', async () => {
    const dir = writeFiles({ 'secrets/key.pem': 'KEY\n' });
    await expect(
      resolve(dir, { key: { $file: 'secrets/key.pem' } }),
    ).resolves.toEqual({
      value: { key: 'KEY\n' },
      secrets: ['KEY\n'],
      problems: [],
    });
  });

  it('reports a $file that does not exist', async () => {
    const dir = writeFiles({});
    const result = await resolve(dir, { key: { $file: 'missing.pem' } });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'key' (app-config.yaml): file 'missing.pem' given to '$file' does not exist; create it or fix the path, which is relative to the directory of 'app-config.yaml'.",
    ]);
    expect(result.problems.map(p => p.code)).toEqual(
      result.problems.map(() => 'CONFIG_SUBSTITUTION_FILE'),
    );
  });

  it('reports a $file that cannot be read', async () => {
    const dir = writeFiles({ 'folder/x': '' });
    const result = await resolve(dir, { key: { $file: 'folder' } });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'key' (app-config.yaml): could not read file 'folder' given to '$file' (EISDIR: illegal operation on a directory, read); point it at a readable file.",
    ]);
    expect(result.problems.map(p => p.code)).toEqual(
      result.problems.map(() => 'CONFIG_SUBSTITUTION_FILE'),
    );
  });

  it('replaces $include with a YAML or JSON document, or the part a fragment names', async () => {
    const dir = writeFiles({
      'extra.yaml': 'database:\n  client: pg\n  pool:\n    max: 5\n',
      'extra.json': '{ "list": [1, 2] }',
    });
    const result = await resolve(dir, {
      all: { $include: 'extra.yaml' },
      pool: { $include: 'extra.yaml#database.pool' },
      list: { $include: 'extra.json#list' },
    });
    expect(result).toEqual({
      value: {
        all: { database: { client: 'pg', pool: { max: 5 } } },
        pool: { max: 5 },
        list: [1, 2],
      },
      secrets: [],
      problems: [],
    });
  });

  it('resolves substitutions in an included file relative to that file', async () => {
    const dir = writeFiles({
      'conf/db.yaml': 'password: { $file: pw.txt }\nuser: ${DB_USER}\n',
      'conf/pw.txt': 'hunter2',
    });
    const result = await resolve(
      dir,
      { db: { $include: 'conf/db.yaml' } },
      { DB_USER: 'admin' },
    );
    expect(result).toEqual({
      value: { db: { password: 'hunter2', user: 'admin' } },
      secrets: ['hunter2', 'admin'],
      problems: [],
    });
  });

  it('names the included file for problems inside it', async () => {
    const dir = writeFiles({ 'conf/db.yaml': 'password: { $file: pw.txt }\n' });
    const result = await resolve(dir, { db: { $include: 'conf/db.yaml' } });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'db.password' (conf/db.yaml): file 'pw.txt' given to '$file' does not exist; create it or fix the path, which is relative to the directory of 'conf/db.yaml'.",
    ]);
  });

  it('reports an $include that does not exist', async () => {
    const dir = writeFiles({});
    const result = await resolve(dir, { a: { $include: 'nope.yaml#x' } });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'a' (app-config.yaml): file 'nope.yaml' given to '$include' does not exist; create it or fix the path, which is relative to the directory of 'app-config.yaml'.",
    ]);
    expect(result.problems.map(p => p.code)).toEqual(
      result.problems.map(() => 'CONFIG_SUBSTITUTION_FILE'),
    );
  });

  it('reports an $include that cannot be read', async () => {
    const dir = writeFiles({ 'folder.yaml/x': '' });
    const result = await resolve(dir, { a: { $include: 'folder.yaml' } });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'a' (app-config.yaml): could not read file 'folder.yaml' given to '$include' (EISDIR: illegal operation on a directory, read); point it at a readable file.",
    ]);
  });

  it('reports an $include of a file that is not YAML or JSON', async () => {
    const dir = writeFiles({ 'notes.txt': 'hello' });
    const result = await resolve(dir, { a: { $include: 'notes.txt' } });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'a' (app-config.yaml): file 'notes.txt' given to '$include' is not .yaml, .yml or .json; use '$file' to read it as text.",
    ]);
    expect(result.problems.map(p => p.code)).toEqual(
      result.problems.map(() => 'CONFIG_SUBSTITUTION_FILE'),
    );
  });

  it('reports an $include with invalid YAML, with its line and column', async () => {
    const dir = writeFiles({ 'extra.yaml': 'a: 1\nb: [1, 2\n' });
    const result = await resolve(dir, { a: { $include: 'extra.yaml' } });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'a' (app-config.yaml): file 'extra.yaml' given to '$include' has invalid YAML at line 3, column 1 (Flow sequence in block collection must be sufficiently indented and end with a ]); fix the syntax there.",
    ]);
    expect(result.problems.map(p => p.code)).toEqual(
      result.problems.map(() => 'CONFIG_SUBSTITUTION_FILE'),
    );
  });

  it('reports an $include fragment that names a missing key', async () => {
    const dir = writeFiles({ 'extra.yaml': 'database:\n  client: pg\n' });
    const result = await resolve(dir, {
      a: { $include: 'extra.yaml#database.pool' },
    });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'a' (app-config.yaml): key 'database.pool' does not exist in file 'extra.yaml' given to '$include'; fix the part after '#'.",
    ]);
    expect(result.problems.map(p => p.code)).toEqual(
      result.problems.map(() => 'CONFIG_SUBSTITUTION_FILE'),
    );
  });

  it('reports files that include each other', async () => {
    const dir = writeFiles({
      'a.yaml': 'b: { $include: b.yaml }\n',
      'b.yaml': 'a: { $include: a.yaml }\n',
    });
    const result = await resolve(dir, { x: { $include: 'a.yaml' } });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'x.b.a' (b.yaml): '$include' makes a cycle 'a.yaml' -> 'b.yaml' -> 'a.yaml'; remove one of these includes.",
    ]);
    expect(result.problems.map(p => p.code)).toEqual(
      result.problems.map(() => 'CONFIG_SUBSTITUTION_CYCLE'),
    );
  });

  it('leaves out and reports every key that names a prototype, with its key and file', async () => {
    const dir = writeFiles({});
    const value = JSON.parse(
      '{ "__proto__": { "a": 1 }, "app": { "title": "x", "constructor": 1, "list": [{ "prototype": 2 }] } }',
    ) as JsonValue;
    const result = await resolve(dir, value);
    expect(result.value).toEqual({ app: { title: 'x', list: [{}] } });
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at '__proto__' (app-config.yaml): '__proto__' cannot be used as a key, as it names an object's prototype; rename the key.",
      "Invalid config at 'app.constructor' (app-config.yaml): 'constructor' cannot be used as a key, as it names an object's constructor; rename the key.",
      "Invalid config at 'app.list[0].prototype' (app-config.yaml): 'prototype' cannot be used as a key, as it names a class's prototype; rename the key.",
    ]);
  });

  it('reads a $file that holds prototype keys as text', async () => {
    const dir = writeFiles({ 'data.json': '{ "__proto__": { "a": 1 } }' });
    await expect(
      resolve(dir, { data: { $file: 'data.json' } }),
    ).resolves.toEqual({
      value: { data: '{ "__proto__": { "a": 1 } }' },
      secrets: ['{ "__proto__": { "a": 1 } }'],
      problems: [],
    });
  });

  it('keeps the indexes of an array whose items fail, as null', async () => {
    const dir = writeFiles({});
    const result = await resolve(
      dir,
      { list: ['${A}', '${MISSING}', 'c'] },
      {
        A: 'a',
      },
    );
    expect(result.value).toEqual({ list: ['a', null, 'c'] });
    expect(result.problems.map(p => p.message)).toEqual([
      "Invalid config at 'list[1]' (app-config.yaml): environment variable 'MISSING' is not set; set it, or write '$${MISSING}' to keep the text literally.",
    ]);
  });
});

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
