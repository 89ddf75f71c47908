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
}

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
  return (_req, res, next) => {
    if (redactor.hasSecrets()) {
      wrapWrites(res, redactor);
    }
    next();
  };
}

type Chunk = string | Buffer | Uint8Array;

function wrapWrites(res: Response, redactor: ResponseRedactor): void {
  const redact = (chunk: unknown, encoding: unknown): unknown => {
    if (!isText(res)) {
      return chunk;
    }
    if (typeof chunk === 'string') {
      if (!isTextEncoding(encoding)) {
        return chunk;
      }
      const redacted = redactor.redactString(chunk, { keepLength: true });
      if (redacted !== chunk) {
        dropEtag(res);
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
