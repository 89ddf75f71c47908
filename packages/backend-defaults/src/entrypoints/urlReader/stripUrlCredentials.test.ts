import { stripUrlCredentials } from './stripUrlCredentials';

describe('stripUrlCredentials', () => {
  it.each([
    ['https://user:pass@example.com/a?b=1', 'https://example.com/a?b=1'],
    ['https://token@example.com/a', 'https://example.com/a'],
    ['https://example.com/a', 'https://example.com/a'],
    ['file:///repo/a.yaml', 'file:///repo/a.yaml'],
    ['not a url //user:pass@host/x', 'not a url //host/x'],
  ])("turns '%s' into '%s'", (input, output) => {
    expect(stripUrlCredentials(input)).toBe(output);
  });

  it('leaves the given URL object unchanged', () => {
    const url = new URL('https://user:pass@example.com/');
    expect(stripUrlCredentials(url)).toBe('https://example.com/');
    expect(url.username).toBe('user');
  });
});
