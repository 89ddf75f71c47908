import { gzipSync } from 'node:zlib';
import { asStranger, postRaw, type HostileCase } from '../hostileRequests';

/** Sending bodies without credentials. */
export const bodyCases: HostileCase[] = [
  {
    name: 'sends malformed JSON without a token',
    send: asStranger('/api/catalog/entities/by-refs', {
      body: '{"entityRefs": [',
    }),
    status: 401,
    message: /^Missing credentials for plugin 'catalog'/,
  },
  {
    name: 'sends two megabytes without a token',
    send: asStranger('/api/catalog/entities/by-refs', {
      body: JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }),
    }),
    status: 401,
    message: /^Missing credentials for plugin 'catalog'/,
  },
  {
    name: 'sends a gzip bomb without a token',
    send: asStranger('/api/catalog/entities/by-refs', {
      body: gzipSync(JSON.stringify({ x: 'y'.repeat(8 * 1024 * 1024) })),
      headers: { 'Content-Encoding': 'gzip' },
    }),
    status: 401,
    message: /^Missing credentials for plugin 'catalog'/,
  },
  {
    name: 'sends a gzip bomb with a token nobody issued',
    send: asStranger('/api/catalog/entities/by-refs', {
      token: 'not-a-token-anyone-issued',
      body: gzipSync(JSON.stringify({ x: 'y'.repeat(8 * 1024 * 1024) })),
      headers: { 'Content-Encoding': 'gzip' },
    }),
    status: 401,
    message:
      "Unknown static token: it matches no entry of 'backend.auth.externalAccess' and is not a signed token; check the token, or add it to 'backend.auth.externalAccess' with a subject.",
  },
  {
    name: 'sends a gzip bomb with its token',
    send: postRaw(
      '/api/catalog/entities/by-refs',
      gzipSync(JSON.stringify({ x: 'y'.repeat(8 * 1024 * 1024) })),
      {
        'Content-Encoding': 'gzip',
      },
    ),
    status: 413,
    message:
      "Request body rejected: it is larger than the limit of 1048576 bytes set by 'backend.http.jsonBodyLimit'. Send a smaller body, or raise the limit.",
  },
  {
    name: 'sends malformed JSON with its token',
    send: postRaw('/api/catalog/entities/by-refs', '{"entityRefs": ['),
    status: 400,
    message:
      /^Request body rejected: it is not valid JSON \(.+\)\. Send a valid JSON document, or set another Content-Type\.$/,
  },
];
