import {
  describeValue,
  quoteList,
  redactUrl,
  skipIndentation,
  suggestClosestName,
} from './messages';

describe('quoteList', () => {
  it('quotes each value and separates them with commas', () => {
    expect(quoteList(['a', 'b', 'c'])).toBe("'a', 'b', 'c'");
  });

  it('joins the last value with the conjunction it is given', () => {
    expect(quoteList(['a', 'b', 'c'], 'and')).toBe("'a', 'b' and 'c'");
    expect(quoteList(new Set(['a', 'b']), 'or')).toBe("'a' or 'b'");
  });

  it('quotes a single value alone and gives nothing for none', () => {
    expect(quoteList(['a'], 'and')).toBe("'a'");
    expect(quoteList([], 'and')).toBe('');
  });
});

describe('describeValue', () => {
  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    ['x', "the string 'x'"],
    [3, 'number 3'],
    [false, 'boolean false'],
    [10n, 'bigint 10'],
    [[1], 'an array'],
    [{ a: 1 }, 'an object'],
    [function named() {}, "a function 'named'"],
    [Symbol('s'), 'Symbol(s)'],
  ])('describes %p as %s', (value, description) => {
    expect(describeValue(value)).toBe(description);
  });
});

describe('redactUrl', () => {
  it.each([
    ['https://user:pass@example.com/a?b=1', 'https://example.com/a?b=***'],
    ['https://token@example.com/a', 'https://example.com/a'],
    ['https://example.com/a', 'https://example.com/a'],
    ['file:///repo/a.yaml', 'file:///repo/a.yaml'],
    [
      'https://example.com/a?token=abc&ref=main',
      'https://example.com/a?token=***&ref=***',
    ],
    [
      'https://bucket.s3.amazonaws.com/k.yaml?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=deadbeef',
      'https://bucket.s3.amazonaws.com/k.yaml?X-Amz-Credential=***&X-Amz-Signature=***',
    ],
    ['https://example.com/a?raw&empty=', 'https://example.com/a?raw&empty='],
    ['https://example.com/cb#access_token=abc', 'https://example.com/cb#***'],
    ['file:///repo/a.yaml?v=1#top', 'file:///repo/a.yaml?v=***#***'],
    ['not a url //user:pass@host/x', 'not a url //host/x'],
    [
      'not a url //user:pass@host/x?sig=abc&raw#frag',
      'not a url //host/x?sig=***&raw#***',
    ],
  ])("turns '%s' into '%s'", (input, output) => {
    expect(redactUrl(input)).toBe(output);
  });

  it('leaves the given URL object unchanged', () => {
    const url = new URL('https://user:pass@example.com/?token=abc#frag');
    expect(redactUrl(url)).toBe('https://example.com/?token=***#***');
    expect(url.username).toBe('user');
    expect(url.search).toBe('?token=abc');
    expect(url.hash).toBe('#frag');
  });
});

describe('suggestClosestName', () => {
  it('suggests the closest name within a third of its length, ignoring case', () => {
    expect(suggestClosestName('listn', ['baseUrl', 'listen'])).toBe('listen');
    expect(suggestClosestName('BASEURL', ['baseUrl', 'listen'])).toBe(
      'baseUrl',
    );
  });

  it('counts a swap of neighbouring letters as one edit', () => {
    expect(suggestClosestName('nmae', ['name', 'mode'])).toBe('name');
  });

  it('suggests nothing when no name is close', () => {
    expect(suggestClosestName('address', ['host', 'port'])).toBeUndefined();
    expect(suggestClosestName('x', [])).toBeUndefined();
  });
});

describe('skipIndentation', () => {
  const text = 'a:\n  b: 1\n   c: 2\n';

  it('moves an offset at the start of a line to its first character', () => {
    expect(skipIndentation(text, 10)).toBe(13);
    expect(text[13]).toBe('c');
  });

  it('keeps an offset past the indentation, or on a blank line', () => {
    expect(skipIndentation(text, 15)).toBe(15);
    expect(skipIndentation('a\n   \nb', 2)).toBe(2);
  });
});
