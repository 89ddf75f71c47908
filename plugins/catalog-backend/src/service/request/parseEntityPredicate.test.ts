import { mockServices } from '@plinth/backend-test-utils';
import { parseEntityPredicate, parsePredicate } from './parseEntityPredicate';
import { readQueryLimits } from './readQueryLimits';

const limits = readQueryLimits(
  mockServices.rootConfig({
    data: {
      catalog: {
        queryLimits: { maxPredicateDepth: 3 },
      },
    },
  }),
);
const where = "'query' in the body of POST /entities/by-query";

function parse(value: unknown) {
  return parseEntityPredicate(value, where, limits);
}

describe('parseEntityPredicate', () => {
  it('reads field expressions into conditions, all of which must hold', () => {
    expect(parse({ kind: 'Component', 'spec.replicas': 3 })).toEqual({
      allOf: [
        { key: 'kind', values: ['Component'] },
        { key: 'spec.replicas', values: ['3'] },
      ],
    });
    expect(parse({ 'metadata.tags.java': true })).toEqual({
      key: 'metadata.tags.java',
      values: ['true'],
    });
  });

  it('reads the value operators', () => {
    expect(
      parse({
        $all: [
          { 'spec.type': { $in: ['service'] } },
          { 'spec.owner': { $exists: true } },
          { 'spec.system': { $exists: false } },
          { 'metadata.name': { $hasPrefix: 'pet' } },
        ],
      }),
    ).toEqual({
      allOf: [
        { key: 'spec.type', values: ['service'] },
        { key: 'spec.owner' },
        { not: { key: 'spec.system' } },
        { key: 'metadata.name', prefix: 'pet' },
      ],
    });
    expect(parse({ 'metadata.tags': { $contains: 'java' } })).toEqual({
      key: 'metadata.tags',
      values: ['java'],
    });
  });

  it('reads the logical operators, with empty lists matching every entity or none', () => {
    expect(
      parse({ $any: [{ kind: 'api' }, { $not: { kind: 'group' } }] }),
    ).toEqual({
      anyOf: [
        { key: 'kind', values: ['api'] },
        { not: { key: 'kind', values: ['group'] } },
      ],
    });
    expect(parse({ $all: [] })).toEqual({ allOf: [] });
    expect(parse({ $any: [] })).toEqual({ anyOf: [] });
    expect(parse({ kind: { $in: [] } })).toEqual({ anyOf: [] });
    expect(parse({})).toEqual({ allOf: [] });
  });

  it.each([
    [
      'component',
      `Invalid ${where} at 'query': expected an object such as { "kind": "component" }, got "component"; a bare value names no field to match.`,
    ],
    [
      [{ kind: 'api' }],
      `Invalid ${where} at 'query': expected an object such as { "kind": "component" }, got [{"kind":"api"}]; a bare value names no field to match.`,
    ],
    [
      { $all: [{ kind: 'api' }, 'api'] },
      `Invalid ${where} at 'query.$all[1]': expected a predicate object, got "api"; wrap a value in a field, as in { "kind": "api" }.`,
    ],
    [
      { $all: { kind: 'api' } },
      `Invalid ${where} at 'query.$all': expected a list of predicates, got {"kind":"api"}.`,
    ],
    [
      { $or: [] },
      `Invalid ${where} at 'query.$or': unknown operator; the logical ones are '$all', '$any' and '$not', and '$exists', '$in', '$hasPrefix' and '$contains' belong under a field, as in { "spec.type": { "$in": ["service"] } }.`,
    ],
    [
      { $not: { kind: 'api' }, kind: 'group' },
      `Invalid ${where} at 'query': '$not' must stand alone in its object, got the keys '$not' and 'kind'; put the other conditions inside an '$all'.`,
    ],
    [
      { kind: null },
      `Invalid ${where} at 'query.kind': expected a string, number or boolean, or one of '$exists', '$in', '$hasPrefix' or '$contains' alone in an object, got null.`,
    ],
    [
      { kind: { $regex: '.*' } },
      `Invalid ${where} at 'query.kind': expected a string, number or boolean, or one of '$exists', '$in', '$hasPrefix' or '$contains' alone in an object, got {"$regex":".*"}.`,
    ],
    [
      { kind: { $in: 'api' } },
      `Invalid ${where} at 'query.kind.$in': expected a list of strings, numbers or booleans, got "api".`,
    ],
    [
      { kind: { $exists: 'yes' } },
      `Invalid ${where} at 'query.kind.$exists': expected true or false, got "yes".`,
    ],
    [
      { 'metadata.name': { $hasPrefix: 1 } },
      `Invalid ${where} at 'query.metadata.name.$hasPrefix': expected a string, got 1.`,
    ],
    [
      { relations: { $contains: { type: 'ownedBy' } } },
      `Invalid ${where} at 'query.relations.$contains': only a string, number or boolean item is supported, got {"type":"ownedBy"}; the catalog indexes the fields of array items apart from each other, so match them as fields, as in { "relations.<field>": "value" }.`,
    ],
    [
      { 'metadata.__proto__': 'x' },
      `Invalid ${where} at 'query.metadata.__proto__': the field cannot match: 'metadata.__proto__' has the part '__proto__', which names an object's prototype, never an entity field.`,
    ],
    [
      { nope: 'x' },
      `Invalid ${where} at 'query.nope': the field cannot match: 'nope' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.`,
    ],
  ])('refuses %j, naming where and why', (value, message) => {
    expect(() => parse(value)).toThrow(message);
  });

  it('refuses a predicate nested deeper than maxPredicateDepth', () => {
    expect(parse({ $not: { $not: { kind: 'api' } } })).toEqual({
      not: { not: { key: 'kind', values: ['api'] } },
    });
    expect(() => parse({ $not: { $not: { $not: { kind: 'api' } } } })).toThrow(
      `Invalid ${where}: it nests deeper than the 3 levels of objects, '$all', '$any' and '$not' that 'catalog.queryLimits.maxPredicateDepth' allows, at 'query.$not.$not.$not'. Flatten it, as in { "$all": [a, b, c] } instead of nested pairs.`,
    );
  });

  it('refuses more predicate objects, conditions and $in values than maxPredicateConditions', () => {
    const capped = readQueryLimits(
      mockServices.rootConfig({
        data: { catalog: { queryLimits: { maxPredicateConditions: 5 } } },
      }),
    );
    const message = `Invalid ${where}: it has more than the 5 terms (predicate objects, field conditions and '$in' values) that 'catalog.queryLimits.maxPredicateConditions' allows. Ask for fewer, or split the query.`;
    // The root object, 'kind' and three values: five terms.
    expect(() =>
      parseEntityPredicate(
        { kind: 'api', 'spec.type': { $in: ['a', 'b', 'c'] } },
        where,
        capped,
      ),
    ).not.toThrow();
    expect(() =>
      parseEntityPredicate(
        { kind: 'api', 'spec.type': { $in: ['a', 'b', 'c', 'd'] } },
        where,
        capped,
      ),
    ).toThrow(message);
    // Empty objects match everything, but each is a subquery all the same.
    expect(() =>
      parseEntityPredicate({ $any: Array(5).fill({}) }, where, capped),
    ).toThrow(message);
  });
});

describe('parsePredicate', () => {
  it('checks fields with the given check, such as the columns of a location', () => {
    const findProblem = (key: string) =>
      key === 'target' ? undefined : `no field '${key}'`;
    expect(
      parsePredicate(
        { target: { $hasPrefix: 'https://' } },
        where,
        limits,
        findProblem,
      ),
    ).toEqual({ key: 'target', prefix: 'https://' });
    expect(() =>
      parsePredicate({ kind: 'api' }, where, limits, findProblem),
    ).toThrow(
      `Invalid ${where} at 'query.kind': the field cannot match: no field 'kind'.`,
    );
  });

  it('refuses a NUL in a field path or a value, which reaches SQL from decoded cursors', () => {
    const nul =
      'it contains a NUL character (\\u0000), which the catalog can neither store nor match; remove it.';
    for (const [query, at] of [
      [{ kind: 'a\u0000' }, 'query.kind'],
      [{ 'metadata.name': { $hasPrefix: '\u0000' } }, 'query.metadata.name'],
      [
        { $any: [{ 'spec.type': { $in: ['x', '\u0000'] } }] },
        'query.$any[0].spec.type',
      ],
      [{ 'spec.\u0000': 1 }, 'query.spec.\u0000'],
    ] as const) {
      expect(() => parse(query)).toThrow(`Invalid ${where} at '${at}': ${nul}`);
    }
  });
});
