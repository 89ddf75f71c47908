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
   * are remembered until it moves, so a body sent again is not searched
   * again.
   */
  readonly version?: number;
}

/** Texts shorter than this are searched every time: that costs little. */
const rememberedMinLength = 16 * 1024;
/** The most characters of clean texts remembered, and of texts. */
const rememberedMaxLength = 4 * 1024 * 1024;
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
 */
export function createResponseRedaction(
  redactor: ResponseRedactor,
): RequestHandler {
  const clean = new CleanTexts();
  return (_req, res, next) => {
    if (redactor.hasSecrets()) {
      wrapWrites(res, redactor, clean);
    }
    next();
  };
}

type Chunk = string | Buffer | Uint8Array;

function wrapWrites(
  res: Response,
  redactor: ResponseRedactor,
  clean: CleanTexts,
): void {
  const redact = (chunk: unknown, encoding: unknown): unknown => {
    if (!isText(res)) {
      return chunk;
    }
    if (typeof chunk === 'string') {
      if (!isTextEncoding(encoding) || clean.has(chunk, redactor.version)) {
        return chunk;
      }
      const redacted = redactor.redactString(chunk, { keepLength: true });
      if (redacted !== chunk) {
        dropEtag(res);
      } else {
        clean.add(chunk, redactor.version);
      }
      return redacted;
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
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: Response, chunk: Chunk, ...rest: unknown[]) {
    return (write as (...args: unknown[]) => boolean).call(
      this,
      redact(chunk, rest[0]),
      ...rest,
    );
  } as Response['write'];
  res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
    return (end as (...args: unknown[]) => Response).call(
      this,
      typeof chunk === 'function' ? chunk : redact(chunk, rest[0]),
      ...rest,
    );
  } as Response['end'];
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
 * page of entities sent to every client that asks for it. Strings cannot
 * change, so a text equal to one found clean is clean while the secrets
 * stay the same; looking one up compares at most the texts of the same
 * length. The oldest go first past the bounds.
 */
class CleanTexts {
  readonly #texts = new Map<string, number>();
  #length = 0;

  has(text: string, version: number | undefined): boolean {
    return (
      version !== undefined &&
      text.length >= rememberedMinLength &&
      this.#texts.get(text) === version
    );
  }

  add(text: string, version: number | undefined): void {
    if (
      version === undefined ||
      text.length < rememberedMinLength ||
      text.length > rememberedMaxLength
    ) {
      return;
    }
    if (!this.#texts.has(text)) {
      this.#length += text.length;
    }
    this.#texts.set(text, version);
    for (const [oldest] of this.#texts) {
      if (
        this.#length <= rememberedMaxLength &&
        this.#texts.size <= rememberedMaxCount
      ) {
        break;
      }
      this.#texts.delete(oldest);
      this.#length -= oldest.length;
    }
  }
}
