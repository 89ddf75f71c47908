import { parseWaitParam } from './parseWaitParam';

const minute = 60_000;

describe('parseWaitParam', () => {
  it('reads a number with a unit, in milliseconds', () => {
    expect(parseWaitParam('500ms', 10 * minute)).toBe(500);
    expect(parseWaitParam('30s', 10 * minute)).toBe(30_000);
    expect(parseWaitParam('1.5s', 10 * minute)).toBe(1500);
    expect(parseWaitParam('2m', 10 * minute)).toBe(2 * minute);
    expect(parseWaitParam('1h', 100 * minute)).toBe(60 * minute);
  });

  it('reads an ISO 8601 duration of hours, minutes and seconds', () => {
    expect(parseWaitParam('PT30S', 10 * minute)).toBe(30_000);
    expect(parseWaitParam('pt1m30s', 10 * minute)).toBe(90_000);
    expect(parseWaitParam('PT0,5S', 10 * minute)).toBe(500);
  });

  it('cuts a longer wait to the configured maximum', () => {
    expect(parseWaitParam('10m', minute)).toBe(minute);
    expect(parseWaitParam('PT999999999H', minute)).toBe(minute);
  });

  it('answers undefined without the parameter', () => {
    expect(parseWaitParam(undefined, minute)).toBeUndefined();
  });

  it.each([
    '',
    '0s',
    'PT0S',
    'PT',
    'P1D',
    '30',
    's',
    '1d',
    '-1s',
    '1e3ms',
    'Infinitys',
  ])('refuses %j naming the parameter and the forms it takes', value => {
    expect(() => parseWaitParam(value, minute)).toThrow(
      `Invalid query parameter 'wait': expected a duration longer than zero such as '500ms', '30s', '2m' or the ISO 8601 'PT30S', got '${value}'. Leave it out to answer without waiting.`,
    );
  });

  it('shows at most 40 characters of a long value', () => {
    const value = '9'.repeat(100);
    expect(() => parseWaitParam(value, minute)).toThrow(
      `got '${'9'.repeat(40)}...'`,
    );
  });
});
