import { formatDuration } from './formatDuration';
import { parseDuration } from '../rootConfig/parseDuration';

describe('formatDuration', () => {
  it.each([
    [0, 'PT0S'],
    [250, 'PT0.25S'],
    [30_000, 'PT30S'],
    [90_000, 'PT1M30S'],
    [3_600_000, 'PT1H'],
    [86_400_000, 'P1D'],
    [86_400_000 + 2 * 3_600_000 + 500, 'P1DT2H0.5S'],
  ])('writes %d ms as %s', (ms, iso) => {
    expect(formatDuration(ms)).toBe(iso);
  });

  it('writes strings that parseDuration reads back to the same length', () => {
    for (const ms of [1, 999, 61_001, 7 * 86_400_000 + 1234]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
