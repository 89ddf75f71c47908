import {
  describeSchemaRule,
  formatFieldPath,
  parseInstancePath,
  type SchemaErrorObject,
} from './schemaErrors';

/** A validation error as ajv reports it, with the fields read here. */
function schemaError(
  keyword: string,
  params: Record<string, unknown>,
  message?: string,
): SchemaErrorObject {
  return { keyword, instancePath: '/a', params, message };
}

describe('parseInstancePath', () => {
  it('takes segments of digits as indexes when it has no data', () => {
    expect(parseInstancePath('/spec/providesApis/0')).toEqual([
      'spec',
      'providesApis',
      0,
    ]);
  });

  it('takes segments as indexes only where the data holds an array', () => {
    const data = { keys: [{ '0': 'x' }] };
    expect(parseInstancePath('/keys/0/0', data)).toEqual(['keys', 0, '0']);
  });

  it('unescapes ~1 and ~0 and gives an empty path for the root', () => {
    expect(parseInstancePath('/a~1b~0c')).toEqual(['a/b~c']);
    expect(parseInstancePath('')).toEqual([]);
    expect(parseInstancePath('', {})).toEqual([]);
  });
});

describe('formatFieldPath', () => {
  it('joins keys with dots and writes indexes in brackets', () => {
    expect(formatFieldPath(['backend', 'keys', 0, 'secret'])).toBe(
      'backend.keys[0].secret',
    );
    expect(formatFieldPath([0, 'a'])).toBe('[0].a');
    expect(formatFieldPath([])).toBe('');
  });
});

describe('describeSchemaRule', () => {
  it.each([
    [schemaError('type', { type: 'integer' }), 'an integer'],
    [schemaError('type', { type: 'string,null' }), 'a string or null'],
    [
      schemaError('enum', { allowedValues: ['a', 'b', 3] }),
      "one of 'a', 'b', 3",
    ],
    [schemaError('const', { allowedValue: 'v1' }), "'v1'"],
    [schemaError('maximum', { comparison: '<=', limit: 5 }), 'a number <= 5'],
    [
      schemaError('exclusiveMinimum', { comparison: '>', limit: 0 }),
      'a number > 0',
    ],
    [
      schemaError('minLength', { limit: 1 }),
      'a string of at least 1 character',
    ],
    [
      schemaError('maxLength', { limit: 3 }),
      'a string of at most 3 characters',
    ],
    [schemaError('minItems', { limit: 2 }), 'an array of at least 2 items'],
    [schemaError('maxItems', { limit: 1 }), 'an array of at most 1 item'],
    [schemaError('pattern', { pattern: '^a+$' }), 'a string matching /^a+$/'],
    [
      schemaError('format', { format: 'uri' }, 'must match format "uri"'),
      `a value that satisfies 'format' (must match format "uri")`,
    ],
    [
      schemaError('format', { format: 'uri' }),
      "a value that satisfies 'format' (invalid)",
    ],
  ])('words %j as what was expected: %s', (error, expected) => {
    expect(describeSchemaRule(error, 'expected')).toBe(expected);
  });

  it.each([
    [schemaError('type', { type: 'integer' }), 'must be an integer'],
    [schemaError('type', { type: 'string,null' }), 'must be a string or null'],
    [
      schemaError('enum', { allowedValues: ['a', 'b', 3] }),
      "must be one of 'a', 'b', 3",
    ],
    [schemaError('const', { allowedValue: 'v1' }), "must be 'v1'"],
    [schemaError('minLength', { limit: 1 }), 'must be a non-empty string'],
    [
      schemaError('minLength', { limit: 3 }),
      'must be at least 3 characters long',
    ],
    [
      schemaError('maxLength', { limit: 2 }),
      'must be at most 2 characters long',
    ],
    [schemaError('minItems', { limit: 1 }), 'must have at least 1 items'],
    [schemaError('maxItems', { limit: 1 }), 'must have at most 1 items'],
    [
      schemaError('pattern', { pattern: '^[A-Z]+$' }),
      "must match the pattern '^[A-Z]+$'",
    ],
    [
      schemaError('minimum', { comparison: '>=', limit: 3 }, 'must be >= 3'),
      'must be >= 3',
    ],
    [
      schemaError('format', { format: 'uri' }),
      "breaks the schema rule 'format'",
    ],
  ])('words %j as a rule: %s', (error, rule) => {
    expect(describeSchemaRule(error, 'must')).toBe(rule);
  });
});
