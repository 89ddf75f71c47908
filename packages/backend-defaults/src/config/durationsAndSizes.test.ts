import { parseDuration } from './durationsAndSizes';

describe('parseDuration', () => {
  it('adds up the fields of a HumanDuration', () => {
    expect(parseDuration({ minutes: 1, seconds: 30, milliseconds: 5 })).toBe(
      90_005,
    );
    expect(parseDuration({ hours: 1, days: 1 })).toBe(25 * 3600_000);
    expect(parseDuration({ seconds: 0 })).toBe(0);
  });

  it('counts a year as 365 days, a month as 30 and a week as 7', () => {
    expect(parseDuration({ years: 1, months: 1, weeks: 1, days: 1 })).toBe(
      (365 + 30 + 7 + 1) * 86_400_000,
    );
  });

  it.each([
    ['PT30S', 30_000],
    ['PT1M30S', 90_000],
    ['PT1H2M', 3_720_000],
    ['P1DT2H', 26 * 3600_000],
    ['P1DT2H3M4.5S', 86_400_000 + 2 * 3_600_000 + 3 * 60_000 + 4_500],
    ['P1DT0.5S', 86_400_500],
    ['PT1.5M', 90_000],
    ['PT0,5S', 500],
    ['P1W', 7 * 86_400_000],
    ['P1Y1M', 395 * 86_400_000],
    ['PT0S', 0],
  ])('reads the ISO 8601 duration %s as %d ms', (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });

  it('reads ISO 8601 durations in any case and with surrounding spaces', () => {
    expect(parseDuration('pt0,25s')).toBe(250);
    expect(parseDuration('p2w')).toBe(14 * 86_400_000);
    expect(parseDuration(' PT5S ')).toBe(5000);
  });

  it('reads bare milliseconds only with allowMilliseconds', () => {
    const options = { allowMilliseconds: true };
    expect(parseDuration(1500, options)).toBe(1500);
    expect(parseDuration(0, options)).toBe(0);
    expect(parseDuration('30000', options)).toBe(30_000);
    expect(parseDuration(' 250 ', options)).toBe(250);
    expect(parseDuration(1500)).toBeUndefined();
    expect(parseDuration('30000')).toBeUndefined();
  });

  it.each([
    ['a negative number', -1],
    ['infinity', Infinity],
    ['NaN', NaN],
    ['a negative string of digits', '-5'],
    ['an array', [1000]],
    ['null', null],
    ['a boolean', true],
  ])('rejects %s even with allowMilliseconds', (_name, value) => {
    expect(parseDuration(value, { allowMilliseconds: true })).toBeUndefined();
  });

  it.each([
    ['an empty ISO duration', 'P'],
    ['a time designator without amounts', 'PT'],
    ['a date followed by an empty time', 'P1DT'],
    ['a negative ISO amount', 'PT-1S'],
    ['units in the wrong order', 'PT1S1M'],
    ['units without an ISO prefix', '30s'],
    ['plain words', '5 minutes'],
    ['a cron expression', '*/5 * * * *'],
    ['an empty object', {}],
    ['a misspelt unit', { minute: 5 }],
    ['an unknown unit', { fortnights: 1 }],
    ['a negative amount', { seconds: -1 }],
    ['a string amount', { seconds: '5' }],
    ['an infinite amount', { seconds: Infinity }],
    ['amounts that add up to infinity', { years: 1e308, days: 1e308 }],
    ['undefined', undefined],
  ])('rejects %s', (_name, value) => {
    expect(parseDuration(value, { allowMilliseconds: true })).toBeUndefined();
  });
});
