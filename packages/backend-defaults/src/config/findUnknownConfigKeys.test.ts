import type { JsonObject } from '@plinth/backend-plugin-api';
import { findUnknownConfigKeys } from './findUnknownConfigKeys';

/** What checking `data` against `schemas` finds, from one file. */
function check(data: JsonObject, ...schemas: JsonObject[]) {
  return findUnknownConfigKeys(
    data,
    schemas.map((schema, i) => ({ packageName: `p${i}`, schema })),
    [{ context: 'app-config.yaml', data }],
  );
}

/** The messages for `data` checked against `schemas`, from one file. */
function find(data: JsonObject, ...schemas: JsonObject[]): string[] {
  return check(data, ...schemas).problems.map(p => p.message);
}

describe('findUnknownConfigKeys', () => {
  it('leaves top-level keys open, even beside a schema that allows any key, and lists them', () => {
    expect(
      check(
        { app: { x: 1 }, plugin: { known: 1 } },
        {
          type: 'object',
          properties: { plugin: { type: 'object', properties: { known: {} } } },
        },
        { type: 'object' },
      ),
    ).toEqual({
      problems: [],
      undeclared: [{ key: 'app', context: 'app-config.yaml' }],
    });
  });

  it('gives an unknown key its code, its full key and the layer it came from', () => {
    expect(
      check(
        { catlog: { locations: [] } },
        { type: 'object', properties: { catalog: { type: 'object' } } },
      ).problems,
    ).toEqual([
      expect.objectContaining({
        name: 'ConfigError',
        code: 'CONFIG_UNKNOWN_KEY',
        key: 'catlog',
        source: 'app-config.yaml',
      }),
    ]);
  });

  it('reports a top-level key close to a declared one as unknown, with the declared one', () => {
    expect(
      check(
        { catlog: { locations: [] }, Plugin: {} },
        { type: 'object', properties: { catalog: { type: 'object' } } },
        { type: 'object', properties: { plugin: { type: 'object' } } },
      ).problems.map(p => p.message),
    ).toEqual([
      "Invalid config at 'catlog' (app-config.yaml): unknown key; did you mean 'catalog'?",
      "Invalid config at 'Plugin' (app-config.yaml): unknown key; did you mean 'plugin'?",
    ]);
  });

  it('follows local $refs, allOf and the branches of anyOf and oneOf', () => {
    const schema = {
      type: 'object',
      properties: {
        plugin: {
          allOf: [
            { $ref: '#/definitions/base' },
            { type: 'object', properties: { extra: { type: 'string' } } },
          ],
        },
      },
      definitions: {
        base: {
          type: 'object',
          properties: {
            mode: {
              oneOf: [
                { type: 'string' },
                { type: 'object', properties: { name: {} } },
              ],
            },
          },
        },
      },
    };
    expect(
      find(
        { plugin: { extra: 'x', mode: { name: 'a', nmae: 'b' }, other: 1 } },
        schema,
      ),
    ).toEqual([
      "Invalid config at 'plugin.mode.nmae' (app-config.yaml): unknown key; did you mean 'plugin.mode.name'?",
      "Invalid config at 'plugin.other' (app-config.yaml): unknown key; remove it, or use one of the known keys 'extra', 'mode'.",
    ]);
  });

  it('accepts keys matched by patternProperties and checks the keys below them', () => {
    const schema = {
      type: 'object',
      properties: {
        plugin: {
          type: 'object',
          patternProperties: {
            '^x-': { type: 'object', properties: { on: {} } },
          },
        },
      },
    };
    expect(
      find({ plugin: { 'x-a': { on: true, of: false }, y: 1 } }, schema),
    ).toEqual([
      "Invalid config at 'plugin.x-a.of' (app-config.yaml): unknown key; did you mean 'plugin.x-a.on'?",
      "Invalid config at 'plugin.y' (app-config.yaml): unknown key; remove it, as no config schema declares keys here.",
    ]);
  });

  it('checks the items of arrays, including tuples', () => {
    const schema = {
      type: 'object',
      properties: {
        plugin: {
          type: 'object',
          properties: {
            list: {
              type: 'array',
              items: { type: 'object', properties: { id: {} } },
            },
            pair: {
              type: 'array',
              items: [{ type: 'object', properties: { a: {} } }],
              additionalItems: { type: 'object', properties: { b: {} } },
            },
          },
        },
      },
    };
    expect(
      find(
        {
          plugin: { list: [{ id: 1 }, { ids: 2 }], pair: [{ a: 1 }, { a: 2 }] },
        },
        schema,
      ),
    ).toEqual([
      "Invalid config at 'plugin.list[1].ids' (app-config.yaml): unknown key; did you mean 'plugin.list[1].id'?",
      "Invalid config at 'plugin.pair[1].a' (app-config.yaml): unknown key; did you mean 'plugin.pair[1].b'?",
    ]);
  });

  it('leaves values open below additionalProperties: true, an untyped node or a $ref it cannot follow', () => {
    const schema = {
      type: 'object',
      properties: {
        plugin: {
          type: 'object',
          properties: {
            free: { type: 'object', additionalProperties: true },
            any: {},
            remote: { $ref: 'https://example.com/schema.json' },
          },
        },
      },
    };
    expect(
      find(
        { plugin: { free: { a: { b: 1 } }, any: { c: 1 }, remote: { d: 1 } } },
        schema,
      ),
    ).toEqual([]);
  });

  it('ignores schema nodes whose type does not admit the value', () => {
    const schema = {
      type: 'object',
      properties: {
        plugin: {
          type: 'object',
          properties: {
            target: {
              anyOf: [
                { type: 'string' },
                { type: 'object', properties: { url: {} } },
              ],
            },
          },
        },
      },
    };
    expect(find({ plugin: { target: { uri: 'x' } } }, schema)).toEqual([
      "Invalid config at 'plugin.target.uri' (app-config.yaml): unknown key; did you mean 'plugin.target.url'?",
    ]);
  });
});
