import type { RequestHandler, Response } from 'express';

/**
 * Masks secrets in text; the backend's is built from the config's secrets.
 *
 * @public
 */
export interface ResponseRedactor {
  /** Whether there is anything to mask, so text need not be looked at. */
  hasSecrets(): boolean;
  /** `text` with each secret masked by as many bytes of `*`. */
  redactString(text: string, options: { keepLength: true }): string;
  /**
   * Moves whenever the secrets change; when given, long texts found clean
   * are remembered, encoded, until it moves, so a body sent again is
   * neither searched nor encoded again.
   */
  readonly version?: number;
}

/** Texts shorter than this are searched every time: that costs little. */
const rememberedMinLength = 16 * 1024;
/** The most bytes of clean texts remembered (encoded), and of one text. */
const rememberedMaxBytes = 4 * 1024 * 1024;
const rememberedMaxCount = 64;

/**
 * Masks the config's secrets in everything a plugin's handlers write to a
 * response, so that no route (its error lists, an entity's `status.items`,
 * a message a module wrote) can send one, in any form the redactor knows.
 *
 * @remarks
 * Each secret becomes as many `*` as it has bytes, so a `Content-Length`
 * already set stays true, and an `ETag` computed before is removed. Text
 * is looked at chunk by chunk: a secret split over two writes is not
 * found, which the responses of JSON routes, written in one piece, never
 * are. Responses whose `Content-Type` is not text (an image, an archive),
 * and chunks written in an encoding other than UTF-8, pass as they are.
 *
 * A response whose `write` and `end` are its prototype's, as they are
 * unless the compression middleware took them over, is masked by
 * `write` and `end` set once on that prototype (the app's response
 * object): a response given methods of its own becomes slower for all
 * that Node.js does with it later. A response that has its own gets
 * wrappers of its own, around them, so that what is masked is the text
 * before it is compressed.
 */
export function createResponseRedaction(
  redactor: ResponseRedactor,
): RequestHandler {
  const redaction: Redaction = { redactor, clean: new CleanTexts() };
  return (_req, res, next) => {
    if (redactor.hasSecrets()) {
      if (Object.hasOwn(res, 'write') || Object.hasOwn(res, 'end')) {
        wrapWrites(res, redaction);
      } else {
        redactThroughPrototype(res, redaction);
      }
    }
    next();
  };
}

interface Redaction {
  redactor: ResponseRedactor;
  clean: CleanTexts;
}

type Chunk = string | Buffer | Uint8Array;
type Write = (this: Response, chunk: unknown, ...rest: unknown[]) => boolean;
type End = (this: Response, chunk?: unknown, ...rest: unknown[]) => Response;

const redactedResponses = new WeakMap<Response, Redaction>();
const patchedPrototypes = new WeakSet<object>();

function redactThroughPrototype(res: Response, redaction: Redaction): void {
  redactedResponses.set(res, redaction);
  const prototype = Object.getPrototypeOf(res) as Response;
  if (patchedPrototypes.has(prototype)) {
    return;
  }
  patchedPrototypes.add(prototype);
  const write = prototype.write as Write;
  const end = prototype.end as End;
  prototype.write = function (
    this: Response,
    chunk: Chunk,
    encoding?: unknown,
    callback?: unknown,
  ) {
    const found = redactedResponses.get(this);
    return write.call(
      this,
      found ? redact(this, found, chunk, encoding) : chunk,
      encoding,
      callback,
    );
  } as Response['write'];
  prototype.end = function (
    this: Response,
    chunk?: unknown,
    encoding?: unknown,
    callback?: unknown,
  ) {
    const found = redactedResponses.get(this);
    return end.call(
      this,
      found && typeof chunk !== 'function'
        ? redact(this, found, chunk, encoding)
        : chunk,
      encoding,
      callback,
    );
  } as Response['end'];
}

function wrapWrites(res: Response, redaction: Redaction): void {
  const write = res.write as Write;
  const end = res.end as End;
  res.write = function (this: Response, chunk: Chunk, ...rest: unknown[]) {
    return write.call(this, redact(this, redaction, chunk, rest[0]), ...rest);
  } as Response['write'];
  res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
    return end.call(
      this,
      typeof chunk === 'function'
        ? chunk
        : redact(this, redaction, chunk, rest[0]),
      ...rest,
    );
  } as Response['end'];
}

function redact(
  res: Response,
  { redactor, clean }: Redaction,
  chunk: unknown,
  encoding: unknown,
): unknown {
  if (!isText(res)) {
    return chunk;
  }
  if (typeof chunk === 'string') {
    if (!isTextEncoding(encoding)) {
      return chunk;
    }
    const encoded = clean.get(chunk, redactor.version);
    if (encoded) {
      return encoded;
    }
    const redacted = redactor.redactString(chunk, { keepLength: true });
    if (redacted !== chunk) {
      dropEtag(res);
      return redacted;
    }
    return clean.add(chunk, redactor.version) ?? chunk;
  }
  if (chunk instanceof Uint8Array) {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const text = buffer.toString('utf8');
    const redacted = redactor.redactString(text, { keepLength: true });
    if (redacted === text) {
      return chunk;
    }
    dropEtag(res);
    return Buffer.from(redacted, 'utf8');
  }
  return chunk;
}

/** Whether the response is text, as it is when no `Content-Type` says. */
function isText(res: Response): boolean {
  const type = res.getHeader('content-type');
  return (
    type === undefined ||
    /^text\/|[/+](json|xml|javascript|x-www-form-urlencoded)\b/i.test(
      String(type),
    )
  );
}

/** An ETag computed over the unmasked body would vouch for other bytes. */
function dropEtag(res: Response): void {
  if (!res.headersSent) {
    res.removeHeader('ETag');
  }
}

function isTextEncoding(encoding: unknown): boolean {
  return (
    typeof encoding !== 'string' || encoding === 'utf8' || encoding === 'utf-8'
  );
}

/**
 * Long texts found clean at a version of the secrets, such as a cached
 * page of entities sent to every client that asks for it, with their
 * UTF-8 bytes, which are sent in their place. Strings cannot change, so
 * a text equal to one found clean is clean while the secrets stay the
 * same; looking one up compares at most the texts of the same length.
 * The bytes are never handed to a handler, so nothing can change them.
 * The oldest go first past the bounds.
 */
class CleanTexts {
  readonly #texts = new Map<string, { version: number; bytes: Buffer }>();
  #bytes = 0;

  get(text: string, version: number | undefined): Buffer | undefined {
    if (version === undefined || text.length < rememberedMinLength) {
      return undefined;
    }
    const entry = this.#texts.get(text);
    return entry?.version === version ? entry.bytes : undefined;
  }

  /** Remembers `text` as clean; returns its bytes when it does. */
  add(text: string, version: number | undefined): Buffer | undefined {
    if (
      version === undefined ||
      text.length < rememberedMinLength ||
      text.length > rememberedMaxBytes
    ) {
      return undefined;
    }
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > rememberedMaxBytes) {
      return undefined;
    }
    this.#delete(text);
    this.#texts.set(text, { version, bytes });
    this.#bytes += bytes.length;
    for (const [oldest] of this.#texts) {
      if (
        this.#bytes <= rememberedMaxBytes &&
        this.#texts.size <= rememberedMaxCount
      ) {
        break;
      }
      this.#delete(oldest);
    }
    return bytes;
  }

  #delete(text: string): void {
    const entry = this.#texts.get(text);
    if (entry) {
      this.#texts.delete(text);
      this.#bytes -= entry.bytes.length;
    }
  }
}
