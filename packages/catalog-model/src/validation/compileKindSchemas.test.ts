import { InputError, type JsonObject } from '@plinth/errors';
import {
  compileKindSchemas,
  createSchemaCompiler,
  indexKindSchemasLazily,
  toSchemaProblems,
} from './compileKindSchemas';

const label = (i: number) => `kindSchemas[${i}]`;

describe('compileKindSchemas', () => {
  it('indexes a schema by the kind it pins with const', () => {
    const index = compileKindSchemas(
      createSchemaCompiler(),
      [{ schema: { properties: { kind: { const: 'Template' } } } }],
      label,
    );
    expect([...index.keys()]).toEqual(['Template']);
    expect(index.get('Template')?.[0].apiVersions).toBeUndefined();
  });

  it('reads kinds and apiVersions pinned with enum inside allOf', () => {
    const index = compileKindSchemas(
      createSchemaCompiler(),
      [
        {
          schema: {
            allOf: [
              { $ref: 'Entity' },
              {
                properties: {
                  kind: { enum: ['Service', 'Job'] },
                  apiVersion: { enum: ['acme.io/v1', 'acme.io/v2'] },
                },
              },
            ],
          },
        },
      ],
      label,
    );
    expect([...index.keys()]).toEqual(['Service', 'Job']);
    expect([...(index.get('Job')?.[0].apiVersions ?? [])]).toEqual([
      'acme.io/v1',
      'acme.io/v2',
    ]);
  });

  it('keeps several schemas of one kind in order', () => {
    const index = compileKindSchemas(
      createSchemaCompiler(),
      [
        { schema: { properties: { kind: { const: 'Job' } } } },
        { schema: { properties: { kind: { enum: ['Job'] } } } },
      ],
      label,
    );
    expect(index.get('Job')).toHaveLength(2);
  });

  it('resolves the envelope schema under the name Entity', () => {
    const index = compileKindSchemas(
      createSchemaCompiler(),
      [
        {
          schema: {
            allOf: [
              { $ref: 'Entity' },
              { properties: { kind: { const: 'Job' } } },
            ],
          },
        },
      ],
      label,
    );
    const validate = index.get('Job')![0].getValidate();
    expect(validate({ apiVersion: 'v1', kind: 'Job', metadata: {} })).toBe(
      false,
    );
    expect(validate.errors?.[0]).toMatchObject({
      keyword: 'required',
      params: { missingProperty: 'name' },
    });
  });

  it('rejects a schema that pins no kind', () => {
    expect(() =>
      compileKindSchemas(
        createSchemaCompiler(),
        [
          { schema: { properties: { kind: { const: 'Job' } } } },
          { schema: { properties: { kind: { enum: [1] } } } },
        ],
        label,
      ),
    ).toThrow(
      new InputError(
        'Entity kind schema kindSchemas[1] does not pin a kind; give it \'properties.kind\' with \'enum\' or \'const\', e.g. { "kind": { "enum": ["Template"] } }, so the validator knows which entities it checks.',
      ),
    );
  });

  it('rejects a schema that is not valid JSON schema, keeping the cause', () => {
    let thrown: unknown;
    try {
      compileKindSchemas(
        createSchemaCompiler(),
        [
          {
            schema: {
              properties: { kind: { const: 'Job' }, spec: { type: 'strin' } },
            },
          },
        ],
        label,
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toBe(
      "Entity kind schema kindSchemas[0] for kind 'Job' is not a valid JSON schema (draft-07); fix the keyword its cause names.",
    );
    expect(((thrown as Error).cause as Error).message).toMatch(
      /schema is invalid/,
    );
  });
});

describe('indexKindSchemasLazily', () => {
  const schemas = [
    {
      schema: {
        properties: { kind: { const: 'Job' }, spec: { type: 'string' } },
      },
    },
    {
      schema: {
        properties: { kind: { const: 'Task' }, spec: { type: 'strin' } },
      },
    },
  ];

  it('compiles a schema on the first validation of its kind, once', () => {
    const createAjv = jest.fn(createSchemaCompiler);
    const index = indexKindSchemasLazily(createAjv, schemas, label);
    expect([...index.keys()]).toEqual(['Job', 'Task']);
    expect(createAjv).not.toHaveBeenCalled();
    const validate = index.get('Job')![0].getValidate();
    expect(validate({ kind: 'Job', spec: 1 })).toBe(false);
    expect(index.get('Job')![0].getValidate()).toBe(validate);
    expect(createAjv).toHaveBeenCalledTimes(1);
  });

  it('throws the error of compileKindSchemas when a schema does not compile', () => {
    const index = indexKindSchemasLazily(createSchemaCompiler, schemas, label);
    expect(() => index.get('Task')![0].getValidate()).toThrow(
      "Entity kind schema kindSchemas[1] for kind 'Task' is not a valid JSON schema (draft-07); fix the keyword its cause names.",
    );
  });
});

function messagesOf(schema: JsonObject, data: unknown): string[] {
  const validate = createSchemaCompiler().compile(schema);
  expect(validate(data)).toBe(false);
  return toSchemaProblems(validate.errors ?? []).map(p => p.message);
}

describe('toSchemaProblems', () => {
  it('names a missing property by its full path', () => {
    const schema = {
      type: 'object',
      properties: { spec: { type: 'object', required: ['owner'] } },
    };
    expect(messagesOf(schema, { spec: {} })).toEqual([
      "'spec.owner' is required",
    ]);
  });

  it('names a missing root property without a leading dot', () => {
    expect(messagesOf({ required: ['spec'] }, {})).toEqual([
      "'spec' is required",
    ]);
  });

  it('writes array indexes in brackets and unescapes keys', () => {
    const schema = {
      type: 'object',
      properties: {
        'a/b~c': { type: 'array', items: { type: 'string' } },
      },
    };
    expect(messagesOf(schema, { 'a/b~c': ['x', 1] })).toEqual([
      "'a/b~c[1]' must be a string, got an integer",
    ]);
  });

  it('describes type rules with articles, also for several types', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'integer' },
        b: { type: ['string', 'null'] },
        c: { type: 'object' },
        d: { type: 'array' },
        e: { type: 'boolean' },
        f: { type: 'number' },
        g: { type: 'null' },
      },
    };
    expect(
      messagesOf(schema, { a: 1.5, b: 2, c: 'x', d: {}, e: 0, f: '1', g: 0 }),
    ).toEqual([
      "'a' must be an integer, got a number",
      "'b' must be a string or null, got an integer",
      "'c' must be an object, got a string of 1 character",
      "'d' must be an array, got an empty object",
      "'e' must be a boolean, got an integer",
      "'f' must be a number, got a string of 1 character",
      "'g' must be null, got an integer",
    ]);
  });

  it('describes length, item count, enum, const and pattern rules', () => {
    const schema = {
      type: 'object',
      properties: {
        empty: { type: 'string', minLength: 1 },
        short: { type: 'string', minLength: 3 },
        long: { type: 'string', maxLength: 2 },
        few: { type: 'array', minItems: 1 },
        many: { type: 'array', maxItems: 1 },
        level: { enum: ['low', 'high', 3] },
        fixed: { const: 'v1' },
        code: { type: 'string', pattern: '^[A-Z]+$' },
      },
    };
    expect(
      messagesOf(schema, {
        empty: '',
        short: 'ab',
        long: 'abc',
        few: [],
        many: [1, 2],
        level: 'mid',
        fixed: 'v2',
        code: 'ab',
      }),
    ).toEqual([
      "'empty' must be a non-empty string, got an empty string",
      "'short' must be at least 3 characters long, got a string of 2 characters",
      "'long' must be at most 2 characters long, got a string of 3 characters",
      "'few' must have at least 1 items, got an empty array",
      "'many' must have at most 1 items, got an array of 2 items",
      "'level' must be one of 'low', 'high', 3, got a string of 3 characters",
      "'fixed' must be 'v1', got a string of 2 characters",
      "'code' must match the pattern '^[A-Z]+$', got a string of 2 characters",
    ]);
  });

  it('names a field the schema does not allow, with its value', () => {
    const schema = {
      type: 'object',
      properties: { spec: { type: 'object', additionalProperties: false } },
    };
    expect(messagesOf(schema, { spec: { extra: 1 } })).toEqual([
      "'spec.extra' is not a known field, got an integer; remove it, or move it where the kind schema allows it",
    ]);
  });

  it("falls back to the schema library's wording for other rules", () => {
    expect(
      messagesOf(
        { type: 'object', properties: { n: { minimum: 3 } } },
        { n: 1 },
      ),
    ).toEqual(["'n' must be >= 3, got an integer"]);
  });
});
