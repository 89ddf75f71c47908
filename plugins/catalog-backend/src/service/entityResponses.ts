/*
 * Writing entity JSON responses: stored entity text spliced in as it is,
 * whole or streamed batch by batch.
 */
import type { Response } from 'express';
import type {
  EntityPosition,
  ListEntitiesResponse,
} from '../entities/EntitiesCatalog';

/**
 * Sends JSON text that is already serialized, such as stored entities
 * spliced into an array, without parsing or hashing it again.
 *
 * @internal
 */
export function writeJsonText(
  res: Response,
  statusCode: number,
  json: string | JsonText,
): void {
  const { text, bytes } = typeof json === 'string' ? toJsonText(json) : json;
  res.statusCode = statusCode;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', bytes);
  res.end(text);
}

/**
 * Past this many characters, an answer of stored entities is written in
 * parts: joined whole, a page of 10,000 entities was a 10 MB string and
 * then a 10 MB buffer, on top of its rows, and a few such pages in a row
 * grew the process by a hundred megabytes before the collector caught up.
 */
const wholeAnswerMaxChars = 1024 * 1024;
/** The characters of entities written at a time past that. */
const partChars = 256 * 1024;

/**
 * A JSON answer around an array of stored entity JSON texts.
 *
 * @internal
 */
export interface EntityJsonParts {
  /** Up to the array's `[`, such as `{"items":[`. */
  prefix: string;
  entities: readonly string[];
  /** From the array's `]` on. */
  suffix: string;
}

/**
 * Sends stored entity JSON texts as a JSON array between `prefix` and
 * `suffix`, such as `{"items":[` and `]}`. A large answer is written in
 * parts of whole entities, each when the client has taken the one before,
 * with its `Content-Length` summed beforehand, so that it never exists as
 * one string or buffer; the response redaction, which looks at one write
 * at a time, still sees every value in one piece.
 *
 * @internal
 */
export async function writeEntityJson(
  res: Response,
  statusCode: number,
  parts: EntityJsonParts,
): Promise<void> {
  const { prefix, entities, suffix } = parts;
  if (fitsOneWrite(entities)) {
    writeJsonText(res, statusCode, `${prefix}${entities.join(',')}${suffix}`);
    return;
  }
  let bytes =
    Buffer.byteLength(prefix) + Buffer.byteLength(suffix) + entities.length - 1;
  for (const entity of entities) {
    bytes += Buffer.byteLength(entity);
  }
  res.statusCode = statusCode;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', bytes);
  let start = 0;
  while (start < entities.length) {
    let end = start;
    let chars = 0;
    while (end < entities.length && (end === start || chars < partChars)) {
      chars += entities[end].length;
      end += 1;
    }
    const part = entities.slice(start, end).join(',');
    if (!(await write(res, start === 0 ? `${prefix}${part}` : `,${part}`))) {
      return;
    }
    start = end;
  }
  res.end(suffix);
}

/**
 * Whether an answer of these entities is small enough to be written, and
 * kept, as one string.
 *
 * @internal
 */
export function fitsOneWrite(entities: readonly string[]): boolean {
  let chars = 0;
  for (const entity of entities) {
    chars += entity.length;
  }
  return chars <= wholeAnswerMaxChars;
}

/** Serialized JSON and its length in bytes, to send many times. */
export interface JsonText {
  text: string;
  bytes: number;
}

/** @internal */
export function toJsonText(text: string): JsonText {
  return { text, bytes: Buffer.byteLength(text) };
}

/**
 * Streams every entity of a listing as one JSON array, reading it in
 * keyset batches: each batch starts after the last entity of the one
 * before, so at most one batch is held at a time whatever the number of
 * matches. The next batch is read only once the client has taken the
 * last one (backpressure), and none is read after the client has gone.
 *
 * Each write holds whole entities, so the response redaction, which
 * looks at one write at a time, still sees every value in one piece.
 *
 * The first batch is read before the status is sent, so a refused query
 * still answers with its own status. A failure after that cannot: the
 * error handler then cuts the connection, and the client sees a response
 * that never completed rather than a short list that looks whole.
 *
 * @param readBatch - the batch after a position, or the first one.
 * @internal
 */
export async function streamEntityArray(
  res: Response,
  readBatch: (after?: EntityPosition) => Promise<ListEntitiesResponse>,
): Promise<void> {
  let batch = await readBatch();
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  let separator = '[';
  for (;;) {
    if (batch.entities.length > 0) {
      const text = `${separator}${batch.entities.join(',')}`;
      separator = ',';
      if (!(await write(res, text))) {
        return;
      }
    }
    if (!batch.endPosition) {
      break;
    }
    batch = await readBatch(batch.endPosition);
  }
  res.end(separator === '[' ? '[]' : ']');
}

/**
 * Writes a chunk and waits until the client has taken it, when the socket
 * buffer is full; `false` when the client has gone.
 */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) {
    return false;
  }
  if (res.write(chunk)) {
    return true;
  }
  return new Promise(resolve => {
    const settle = (taken: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(taken);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}
