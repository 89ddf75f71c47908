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
});
