import type { Request } from 'express';
import { ParsedUrlMemo } from './ParsedUrlMemo';

const at = (originalUrl: string) => ({ originalUrl }) as Request;

describe('ParsedUrlMemo', () => {
  it('parses each URL once and hands every request with it the same frozen result', () => {
    const parse = jest.fn((req: Request) => ({
      url: req.originalUrl,
      list: [{ key: 'kind' }],
    }));
    const memo = new ParsedUrlMemo(parse);
    const first = memo.get(at('/entities/by-query?limit=5'));
    const again = memo.get(at('/entities/by-query?limit=5'));
    const other = memo.get(at('/entities/by-query?limit=6'));
    expect(again).toBe(first);
    expect(other.url).toBe('/entities/by-query?limit=6');
    expect(parse).toHaveBeenCalledTimes(2);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.list[0])).toBe(true);
  });

  it('parses a URL that failed again, with the same error each time', () => {
    const parse = jest.fn(() => {
      throw new Error('bad limit');
    });
    const memo = new ParsedUrlMemo(parse);
    expect(() => memo.get(at('/x?limit=-1'))).toThrow('bad limit');
    expect(() => memo.get(at('/x?limit=-1'))).toThrow('bad limit');
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('keeps at most 256 URLs, dropping the oldest, and no URL longer than 2048 characters', () => {
    const parse = jest.fn((req: Request) => req.originalUrl.length);
    const memo = new ParsedUrlMemo(parse);
    for (let i = 0; i <= 256; i++) {
      memo.get(at(`/x?limit=${i}`));
    }
    memo.get(at('/x?limit=256'));
    expect(parse).toHaveBeenCalledTimes(257);
    memo.get(at('/x?limit=0'));
    expect(parse).toHaveBeenCalledTimes(258);
    const long = `/x?filter=${'a'.repeat(2048)}`;
    memo.get(at(long));
    memo.get(at(long));
    expect(parse).toHaveBeenCalledTimes(260);
  });
});
