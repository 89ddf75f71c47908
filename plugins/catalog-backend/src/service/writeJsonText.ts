import type { Response } from 'express';

/**
 * Sends JSON text that is already serialized, such as stored entities
 * spliced into an array, without parsing or hashing it again.
 *
 * @internal
 */
export function writeJsonText(
  res: Response,
  statusCode: number,
  json: string,
): void {
  res.statusCode = statusCode;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}
