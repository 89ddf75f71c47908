import { describeFieldValue } from './describeFieldValue';

describe('describeFieldValue', () => {
  it('describes strings by length and shape, not content', () => {
    expect(describeFieldValue('secret-value')).toBe(
      'a string of 12 characters',
    );
    expect(describeFieldValue('x')).toBe('a string of 1 character');
    expect(describeFieldValue('')).toBe('an empty string');
    expect(describeFieldValue('a\nb\n')).toBe(
      'a string of 4 characters on 3 lines with surrounding whitespace',
    );
    expect(describeFieldValue(' padded')).toBe(
      'a string of 7 characters with surrounding whitespace',
    );
  });

  it('describes numbers, booleans and null by type', () => {
    expect(describeFieldValue(42)).toBe('an integer');
    expect(describeFieldValue(4.2)).toBe('a number');
    expect(describeFieldValue(true)).toBe('a boolean');
    expect(describeFieldValue(null)).toBe('null');
    expect(describeFieldValue(undefined)).toBe('nothing');
  });

  it('describes arrays and objects by size, without their keys or items', () => {
    expect(describeFieldValue(['a', 'b'])).toBe('an array of 2 items');
    expect(describeFieldValue([])).toBe('an empty array');
    expect(describeFieldValue({ token: 'abc' })).toBe('an object of 1 key');
    expect(describeFieldValue({})).toBe('an empty object');
  });

  it('handles values JSON cannot hold', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeFieldValue(circular)).toBe('an object of 1 key');
    expect(describeFieldValue(() => 1)).toBe('a function');
  });
});
