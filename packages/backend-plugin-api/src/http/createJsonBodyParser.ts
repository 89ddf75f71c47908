import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { describeValue, InputError } from '@plinth/errors';
import type { Request, RequestHandler } from 'express';
import { RequestBodyTooLargeError, UnsupportedMediaTypeError } from '../errors';
import type { Config } from '../services/definitions/RootConfigService';

/** How much a JSON request body may hold, from `backend.http`. */
interface JsonBodyLimits {
  /** The largest body, in bytes, after any content encoding is undone. */
  jsonBodyLimit: number;
  /** How deep objects and arrays of a body may nest. */
  jsonBodyMaxDepth: number;
}

/**
 * Options for {@link createJsonBodyParser}.
 *
 * @public
 */
export interface CreateJsonBodyParserOptions {
  /**
   * The root config, read for `backend.http.jsonBodyLimit` (a number of
   * bytes, or a size such as `'1mb'`) and `backend.http.jsonBodyMaxDepth`.
   * @defaultValue none: a body of at most 1 MiB nested at most 64 levels
   */
  config?: Config;
}

/** What `backend.http` sets when it is silent. */
const defaultLimits: JsonBodyLimits = {
  jsonBodyLimit: 1024 ** 2,
  jsonBodyMaxDepth: 64,
};

/**
 * An express middleware that parses a JSON request body into `req.body`
 * within Plinth's limits, for a plugin to put in its own router: platform
 * routers parse no body, neither Plinth's nor Backstage's, so the plugin's
 * router runs behind the credentials check on both, and nothing of a
 * request without credentials is read or inflated.
 *
 * @remarks
 * It reads bodies sent as `application/json` or a `+json` type and leaves
 * others, and requests whose body another parser already read, untouched.
 * A body may be at most `jsonBodyLimit` bytes (a gzip, deflate or br body
 * counts inflated, and inflating stops at the limit), nest at most
 * `jsonBodyMaxDepth` levels, and hold no prototype key (`__proto__`,
 * `constructor`, `prototype`) and no NUL character; each refusal is a 4xx
 * that names the limit or the place in the body. An empty body becomes
 * `{}`. Once it has read a body it marks the request as parsed the way
 * express 4's body-parser does, so a later `express.json()` of either
 * express version is a no-op.
 *
 * @example
 * ```ts
 * const router = express.Router();
 * router.use(createJsonBodyParser({ config }));
 * router.post('/todos', (req, res) => { ... req.body ... });
 * httpRouter.use(router);
 * ```
 * @throws {@link @plinth/errors#InputError} when a `backend.http` limit
 *   in `config` is invalid.
 * @public
 */
export function createJsonBodyParser(
  options: CreateJsonBodyParserOptions = {},
): RequestHandler {
  const limits = readJsonBodyLimits(options.config);
  return (req, _res, next) => {
    if (isBodyRead(req) || !hasBody(req) || !isJsonType(req)) {
      next();
      return;
    }
    readJsonBody(req, limits).then(
      body => {
        req.body = body;
        // body-parser 1.x (express 4) skips requests that carry this flag;
        // without it, it would try to read the stream this parser drained.
        (req as { _body?: boolean })._body = true;
        next();
      },
      (error: unknown) => discardRest(req, () => next(error)),
    );
  };
}

/**
 * Reads `backend.http.jsonBodyLimit` and `backend.http.jsonBodyMaxDepth`,
 * falling back to 1 MiB and 64 levels.
 *
 * @throws {@link @plinth/errors#InputError} naming the key when a value is
 *   invalid.
 */
function readJsonBodyLimits(config: Config | undefined): JsonBodyLimits {
  const limitKey = 'backend.http.jsonBodyLimit';
  const depthKey = 'backend.http.jsonBodyMaxDepth';
  const limit = config?.getOptional(limitKey);
  const depth = config?.getOptional(depthKey);
  const bytes = limit === undefined ? undefined : parseSize(limit);
  if (bytes === undefined && limit !== undefined) {
    throw new InputError(
      `createJsonBodyParser() got ${describeValue(limit)} at '${limitKey}'; use a whole number of bytes or a size such as '1mb' (units b, kb, mb, gb).`,
    );
  }
  if (
    depth !== undefined &&
    (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1)
  ) {
    throw new InputError(
      `createJsonBodyParser() got ${describeValue(depth)} at '${depthKey}'; use an integer of at least 1.`,
    );
  }
  return {
    jsonBodyLimit: bytes ?? defaultLimits.jsonBodyLimit,
    jsonBodyMaxDepth: depth ?? defaultLimits.jsonBodyMaxDepth,
  };
}

const unitBytes: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
};

/** A size as `backend.http.jsonBodyLimit` is written, in whole bytes. */
function parseSize(value: unknown): number | undefined {
  const match =
    typeof value === 'number'
      ? [String(value), String(value), 'b']
      : typeof value === 'string'
        ? /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value.trim())
        : null;
  if (!match) {
    return undefined;
  }
  const bytes = Math.floor(
    Number(match[1]) * unitBytes[(match[2] ?? 'b').toLowerCase()],
  );
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : undefined;
}

/**
 * Whether another parser read the body already: body-parser 1.x sets
 * `_body`, and a read stream has ended.
 */
function isBodyRead(req: Request): boolean {
  return (req as { _body?: unknown })._body === true || req.readableEnded;
}

/**
 * Whether a request has a body, by the test body-parser uses: a
 * Transfer-Encoding header, or a Content-Length that is a number. Requests
 * without one pass untouched: a request object that gains a property
 * becomes slower for everything done with it.
 */
function hasBody(req: IncomingMessage): boolean {
  const { headers } = req;
  return (
    headers['transfer-encoding'] !== undefined ||
    !isNaN(Number(headers['content-length']))
  );
}

function isJsonType(req: IncomingMessage): boolean {
  const mediaType = mediaTypeOf(req);
  return (
    mediaType === 'application/json' || /^[^/]+\/[^/]+\+json$/.test(mediaType)
  );
}

/** The `type/subtype` of the Content-Type header, lower case. */
function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** The charset parameter of the Content-Type header, lower case. */
function charsetOf(req: IncomingMessage): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(
    req.headers['content-type'] ?? '',
  );
  return match?.[1].toLowerCase();
}

/** Reads, inflates, decodes, parses and checks the body of `req`. */
async function readJsonBody(
  req: IncomingMessage,
  limits: JsonBodyLimits,
): Promise<unknown> {
  const charset = charsetOf(req);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaTypeError(
      `Request body rejected: its charset '${charset}' is not supported. Send it as UTF-8.`,
    );
  }
  const bytes = await readBytes(req, limits.jsonBodyLimit);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    return {};
  }
  const body = parseJson(text);
  const problem = findBodyProblem(body, limits.jsonBodyMaxDepth);
  if (problem) {
    throw new InputError(`Request body rejected: ${problem}`);
  }
  return body;
}

function parseJson(text: string): unknown {
  try {
    // As body-parser's strict mode: a body is an object or an array, so a
    // stray `"x"` or `1` is a mistake rather than a document.
    const first = text.trimStart()[0];
    if (first !== '{' && first !== '[') {
      throw new SyntaxError(`it starts with '${first}', not with '{' or '['`);
    }
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `Request body rejected: it is not valid JSON (${(error as Error).message}). Send a valid JSON document, or set another Content-Type.`,
      error,
    );
  }
}

const decoders: Readonly<Record<string, () => Transform>> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/**
 * The body's bytes with its content encoding undone, refused as soon as
 * they pass `limit`: an identity body by its Content-Length before a byte
 * is read, an encoded one while it is inflated, so a small gzip bomb never
 * inflates beyond the limit.
 */
function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  const decode = encoding === 'identity' ? undefined : decoders[encoding];
  if (encoding !== 'identity' && !decode) {
    return Promise.reject(
      new UnsupportedMediaTypeError(
        `Request body rejected: its Content-Encoding '${encoding}' is not supported. Send it uncompressed, or as gzip, deflate or br.`,
      ),
    );
  }
  const declared = Number(req.headers['content-length']);
  if (!decode && declared > limit) {
    return Promise.reject(new RequestBodyTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const decoder = decode?.();
    const source: Readable = decoder ? req.pipe(decoder) : req;
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const settle = (error: Error | undefined, value?: Buffer) => {
      if (settled) {
        return;
      }
      settled = true;
      source.removeListener('data', onData);
      if (decoder) {
        req.unpipe(decoder);
        decoder.destroy();
      }
      if (error) {
        reject(error);
      } else {
        resolve(value!);
      }
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        settle(new RequestBodyTooLargeError(limit));
      } else {
        chunks.push(chunk);
      }
    };
    source.on('data', onData);
    source.once('end', () => {
      if (!decode && !isNaN(declared) && length !== declared) {
        settle(
          new InputError(
            'Request body rejected: it is not as long as its Content-Length says. Send the length it has.',
          ),
        );
        return;
      }
      settle(undefined, Buffer.concat(chunks, length));
    });
    source.once('error', (error: Error) =>
      settle(
        new InputError(
          'Request body rejected: it could not be decompressed as its Content-Encoding says. Send the encoding it has.',
          error,
        ),
      ),
    );
    const onAborted = () =>
      settle(
        new InputError(
          'Request body rejected: the client ended the request before the body was complete.',
        ),
      );
    req.once('aborted', onAborted);
    req.once('error', onAborted);
  });
}

/**
 * Reads off what is left of a refused body without keeping it, then calls
 * `done`, so the answer is not written while the client is still sending
 * (which would cut the connection before the client reads it).
 */
function discardRest(req: IncomingMessage, done: () => void): void {
  if (req.readableEnded || req.destroyed) {
    done();
    return;
  }
  let called = false;
  const finish = () => {
    if (!called) {
      called = true;
      done();
    }
  };
  req.once('end', finish);
  req.once('close', finish);
  req.resume();
}

const prototypeKeys: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/**
 * What makes a parsed body unfit for plugins, as the rest of a sentence, or
 * `undefined` when nothing does. The walk keeps its own stack: a body
 * nested a million levels deep parses, but would exhaust the call stack of
 * the first recursive function to touch it.
 */
function findBodyProblem(body: unknown, maxDepth: number): string | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [
    { value: body, path: '', depth: 0 },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.includes('\0')) {
        return `the string at ${describePath(path)} contains a NUL character (\\u0000), which no plugin can store. Remove it.`;
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) {
      continue;
    }
    if (depth === maxDepth) {
      return `its objects and arrays nest more than ${maxDepth} levels deep, at ${describePath(path)}, more than 'backend.http.jsonBodyMaxDepth' allows. Send a flatter document.`;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) =>
        pending.push({
          value: item,
          path: `${path}[${index}]`,
          depth: depth + 1,
        }),
      );
      continue;
    }
    for (const key of Object.keys(value)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (prototypeKeys.has(key)) {
        return `it has the key '${key}' at ${describePath(keyPath)}, which names an object's prototype and is refused in every request body. Rename the key.`;
      }
      if (key.includes('\0')) {
        return `a key at ${describePath(path)} contains a NUL character (\\u0000), which no plugin can store. Remove it.`;
      }
      pending.push({
        value: (value as Record<string, unknown>)[key],
        path: keyPath,
        depth: depth + 1,
      });
    }
  }
  return undefined;
}

/** Where in a body a path points, for messages; paths are cut at 100 characters. */
function describePath(path: string): string {
  if (path === '') {
    return 'the top level';
  }
  return `'${path.length > 100 ? `${path.slice(0, 100)}...` : path}'`;
}
