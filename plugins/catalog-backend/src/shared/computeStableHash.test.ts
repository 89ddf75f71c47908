import { computeStableHash } from './computeStableHash';

describe('computeStableHash', () => {
  it('ignores the order of object keys', () => {
    expect(computeStableHash({ a: 1, b: { c: [1, 'x'], d: null } })).toBe(
      computeStableHash({ b: { d: null, c: [1, 'x'] }, a: 1 }),
    );
  });

  it('tells apart values that differ', () => {
    const hashes = new Set(
      [
        { a: 1 },
        { a: '1' },
        { a: [1] },
        { a: [1, 2] },
        { a: [2, 1] },
        { a: null },
        {},
        [],
        'a',
      ].map(computeStableHash),
    );
    expect(hashes.size).toBe(9);
  });

  it('leaves out keys whose value is undefined, as JSON does', () => {
    expect(computeStableHash({ a: 1, b: undefined })).toBe(
      computeStableHash({ a: 1 }),
    );
  });

  it('gives a SHA-256 hex digest', () => {
    expect(computeStableHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the digests stored by earlier versions, so an upgrade does not reprocess every entity', () => {
    expect(
      computeStableHash({
        kind: 'Component',
        metadata: { name: 'x', annotations: { 'a/b': 'c' } },
        spec: { owner: 'g', list: [{ z: 1, y: 2 }] },
      }),
    ).toBe('e92800c4860fc2d3db72460f5a4a780a5db80516ce308287bcbef1bd10a9b601');
    expect(computeStableHash({ a: 1 })).toBe(
      '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862',
    );
  });

  it('ignores the insertion order of integer-like keys', () => {
    expect(computeStableHash(JSON.parse('{"10":1,"2":2,"a":3}'))).toBe(
      computeStableHash({ a: 3, 2: 2, 10: 1 }),
    );
  });

  it('counts a __proto__ key parsed from JSON like any other key', () => {
    expect(
      computeStableHash(JSON.parse('{"__proto__":{"x":1},"a":2}')),
    ).not.toBe(computeStableHash({ a: 2 }));
  });
});
