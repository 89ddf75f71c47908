import express from 'express';
import { computeWeakETag } from './computeWeakETag';

/** The ETag function express uses by default. */
const expressETag = express().get('etag fn') as (
  body: string | Buffer,
  encoding?: BufferEncoding,
) => string;

describe('computeWeakETag', () => {
  it.each<[string, string | Buffer, BufferEncoding | undefined]>([
    ['an ASCII string', '{"kind":"Component","name":"x"}', 'utf8'],
    ['a string with characters beyond ASCII', 'Grüße, 世界 🌍', 'utf8'],
    ['a latin1 string', 'caf\u00e9', 'latin1'],
    ['a buffer', Buffer.from([0, 1, 2, 250, 255]), undefined],
    ['a large buffer', Buffer.alloc(100_000, 'a'), undefined],
    ['an empty string', '', 'utf8'],
    ['an empty buffer', Buffer.alloc(0), undefined],
  ])('gives the tag express gives to %s', (_name, body, encoding) => {
    const expected = expressETag(body, encoding);
    expect(expected).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    expect(computeWeakETag(body, encoding)).toBe(expected);
  });
});
