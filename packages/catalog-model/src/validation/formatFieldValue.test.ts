import { formatFieldValue } from './formatFieldValue';

describe('formatFieldValue', () => {
  it('writes values as JSON', () => {
    expect(formatFieldValue('x')).toBe('"x"');
    expect(formatFieldValue(42)).toBe('42');
    expect(formatFieldValue({ a: [1] })).toBe('{"a":[1]}');
  });

  it('writes values JSON cannot hold as text', () => {
    expect(formatFieldValue(undefined)).toBe('undefined');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(formatFieldValue(circular)).toBe('[object Object]');
  });

  it('cuts long values to 60 characters', () => {
    const text = formatFieldValue('x'.repeat(100));
    expect(text).toBe(`"${'x'.repeat(58)}…`);
    expect(text).toHaveLength(60);
  });
});
