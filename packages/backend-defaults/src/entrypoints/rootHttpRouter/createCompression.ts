import type {
  OutgoingHttpHeader,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import compression from 'compression';
import type { RequestHandler, Response } from 'express';

type HeadersArgument = OutgoingHttpHeaders | OutgoingHttpHeader[];
type WriteHead = (
  this: Response,
  statusCode: number,
  statusMessage?: string | HeadersArgument,
  headers?: HeadersArgument,
) => Response;

/** The Cache-Control directive that forbids compression, as `compression` matches it. */
const noTransformPattern = /(?:^|,)\s*?no-transform\s*?(?:,|$)/i;

/**
 * Compresses responses with the `compression` middleware, which only runs
 * for requests that send `Accept-Encoding`.
 *
 * @remarks
 * Without that header the middleware never compresses; all it does is add
 * `Vary: Accept-Encoding` to the responses it would compress for another
 * client, and give the response a `flush()` that does nothing. To do so it
 * adds five methods to each response, and a response object that gains
 * properties becomes much slower for everything Node.js does with it
 * later. Such requests get the same two effects here from methods set
 * once on `response`, the app's response prototype (`app.response`).
 */
export function createCompression(response: Response): RequestHandler {
  const compress = compression();
  const uncompressed = new WeakSet<ServerResponse>();
  const writeHead = response.writeHead as WriteHead;
  response.flush = flushNothing;
  response.writeHead = function writeHeadVaryingOnEncoding(
    this: Response,
    statusCode: number,
    statusMessage?: string | HeadersArgument,
    headers?: HeadersArgument,
  ): Response {
    if (uncompressed.delete(this)) {
      addVary(
        this,
        typeof statusMessage === 'string' ? headers : statusMessage,
      );
      return writeHead.call(
        this,
        statusCode,
        typeof statusMessage === 'string' ? statusMessage : undefined,
      );
    }
    return writeHead.call(this, statusCode, statusMessage, headers);
  } as Response['writeHead'];
  return (req, res, next) => {
    if (req.headers['accept-encoding']) {
      compress(req, res, next);
      return;
    }
    uncompressed.add(res);
    next();
  };
}

function flushNothing() {}

/**
 * What `compression` does at `writeHead` for a request that accepts no
 * encoding: the headers passed to `writeHead` are set first, so they count
 * and cannot overwrite the Vary header added when the response is of a
 * compressible type and its Cache-Control allows it.
 */
function addVary(res: Response, headers: HeadersArgument | undefined) {
  if (headers) {
    setHeaders(res, headers);
  }
  const cacheControl = res.getHeader('Cache-Control');
  if (
    compression.filter(res.req, res) &&
    !noTransformPattern.test(String(cacheControl ?? ''))
  ) {
    res.vary('Accept-Encoding');
  }
}

/**
 * Sets the headers passed to `writeHead` as Node.js does when the response
 * already has headers: an object sets each field, a flat list of names and
 * values replaces the fields it names and keeps repeated names, a list of
 * pairs sets each pair.
 */
function setHeaders(res: Response, headers: HeadersArgument) {
  if (!Array.isArray(headers)) {
    for (const name of Object.keys(headers)) {
      if (name) {
        res.setHeader(name, headers[name] as OutgoingHttpHeader);
      }
    }
    return;
  }
  if (headers.length > 0 && Array.isArray(headers[0])) {
    for (const pair of headers as unknown as Array<[string, string]>) {
      if (pair[0]) {
        res.setHeader(pair[0], pair[1]);
      }
    }
    return;
  }
  const flat = headers as string[];
  for (let i = 0; i < flat.length; i += 2) {
    res.removeHeader(flat[i]);
  }
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i]) {
      res.appendHeader(flat[i], flat[i + 1]);
    }
  }
}
