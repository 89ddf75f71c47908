import { InputError } from '@plinth/errors';
import { compileKindSchemas, createSchemaCompiler } from './compileKindSchemas';

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
    const validate = index.get('Job')![0].validate;
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
