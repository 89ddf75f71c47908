/**
 * The parts of a JSON schema validation error that the functions below
 * read. An ajv `ErrorObject` fits it as it is; this package declares the
 * shape instead of depending on ajv.
 *
 * @public
 */
export interface SchemaErrorObject {
  /** The keyword that failed, such as `type`, `enum` or `minLength`. */
  keyword: string;
  /** A JSON Pointer to the value that failed, such as `/spec/owner`. */
  instancePath: string;
  /** The parameters of the keyword, such as `{ limit: 3 }`. */
  params: Readonly<Record<string, unknown>>;
  /** The validator's own wording, such as `must be >= 3`. */
  message?: string;
}

/**
 * A location in a validated value: object keys, and numbers for array
 * indexes.
 *
 * @public
 */
export type FieldPath = ReadonlyArray<string | number>;

/**
 * How {@link describeSchemaRule} words a rule: `expected` as the noun
 * phrase after "expected" (`a string of at least 3 characters`), `must` as
 * the rule after a field's name (`must be at least 3 characters long`).
 *
 * @public
 */
export type SchemaRulePhrasing = 'expected' | 'must';

/**
 * Turns the JSON Pointer of a validation error (`/spec/providesApis/0`)
 * into a field path (`['spec', 'providesApis', 0]`), unescaping `~1` and
 * `~0`.
 *
 * @param data - the value that was validated: a segment is an array index
 *   where `data` holds an array. Without it, every segment of digits only
 *   is taken as an index.
 * @public
 */
export function parseInstancePath(pointer: string, data?: unknown): FieldPath {
  if (pointer === '') {
    return [];
  }
  const segments = pointer
    .slice(1)
    .split('/')
    .map(raw => raw.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (data === undefined) {
    return segments.map(segment =>
      /^\d+$/.test(segment) ? Number(segment) : segment,
    );
  }
  const path: Array<string | number> = [];
  let current: unknown = data;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      path.push(Number(segment));
      current = current[Number(segment)];
    } else {
      path.push(segment);
      current =
        current !== null && typeof current === 'object'
          ? (current as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return path;
}

/**
 * Writes a field path the way messages name fields and keys:
 * `backend.auth.keys[0].secret`.
 *
 * @example
 * ```ts
 * formatFieldPath(parseInstancePath('/spec/providesApis/0')); // 'spec.providesApis[0]'
 * ```
 * @public
 */
export function formatFieldPath(path: FieldPath): string {
  return path.reduce<string>((key, segment) => {
    if (typeof segment === 'number') {
      return `${key}[${segment}]`;
    }
    return key ? `${key}.${segment}` : segment;
  }, '');
}

/**
 * What the failed keyword of a validation error demands, in words: the
 * one place where the repository explains JSON schema keywords to people.
 *
 * @remarks
 * The two phrasings word some keywords differently, and each keeps the
 * words its messages have always had; types, allowed values and constants
 * read the same in both (`a string or null`, `one of 'a', 'b'`).
 *
 * @example
 * ```ts
 * describeSchemaRule({ keyword: 'minLength', instancePath: '/a', params: { limit: 3 } }, 'expected');
 * // 'a string of at least 3 characters'
 * describeSchemaRule({ keyword: 'minLength', instancePath: '/a', params: { limit: 3 } }, 'must');
 * // 'must be at least 3 characters long'
 * ```
 * @public
 */
export function describeSchemaRule(
  error: SchemaErrorObject,
  phrasing: SchemaRulePhrasing,
): string {
  return phrasing === 'expected'
    ? describeExpected(error)
    : describeMustRule(error);
}

/** The JSON types as a message names them. */
const typeNames: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** What a failed keyword expected, as a noun phrase after "expected". */
function describeExpected(error: SchemaErrorObject): string {
  const { params } = error;
  const limit = String(params.limit);
  switch (error.keyword) {
    case 'type':
      return describeTypes(params.type, type => `a ${type}`);
    case 'enum':
      return `one of ${describeAllowed(params.allowedValues)}`;
    case 'const':
      return quoteAllowed(params.allowedValue);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `a number ${String(params.comparison)} ${limit}`;
    case 'minLength':
      return `a string of at least ${count(limit, 'character')}`;
    case 'maxLength':
      return `a string of at most ${count(limit, 'character')}`;
    case 'minItems':
      return `an array of at least ${count(limit, 'item')}`;
    case 'maxItems':
      return `an array of at most ${count(limit, 'item')}`;
    case 'pattern':
      return `a string matching /${String(params.pattern)}/`;
    default:
      return `a value that satisfies '${error.keyword}' (${error.message ?? 'invalid'})`;
  }
}

/** What a failed keyword demands, as a rule after a field's name. */
function describeMustRule(error: SchemaErrorObject): string {
  const { params } = error;
  const limit = String(params.limit);
  switch (error.keyword) {
    case 'type':
      return `must be ${describeTypes(params.type, type => type)}`;
    case 'enum':
      return `must be one of ${describeAllowed(params.allowedValues)}`;
    case 'const':
      return `must be ${quoteAllowed(params.allowedValue)}`;
    case 'minLength':
      return params.limit === 1
        ? 'must be a non-empty string'
        : `must be at least ${limit} characters long`;
    case 'maxLength':
      return `must be at most ${limit} characters long`;
    case 'minItems':
      return `must have at least ${limit} items`;
    case 'maxItems':
      return `must have at most ${limit} items`;
    case 'pattern':
      return `must match the pattern '${String(params.pattern)}'`;
    default:
      return error.message ?? `breaks the schema rule '${error.keyword}'`;
  }
}

/** `a string or null`, from the comma-separated types of a `type` error. */
function describeTypes(
  types: unknown,
  unknownType: (type: string) => string,
): string {
  return String(types)
    .split(',')
    .map(type => typeNames[type] ?? unknownType(type))
    .join(' or ');
}

/** `'low', 'high', 3`: the values an `enum` allows. */
function describeAllowed(values: unknown): string {
  return (values as unknown[]).map(quoteAllowed).join(', ');
}

/** Strings in single quotes, anything else as JSON. */
function quoteAllowed(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

function count(limit: string, noun: string): string {
  return `${limit} ${noun}${limit === '1' ? '' : 's'}`;
}
