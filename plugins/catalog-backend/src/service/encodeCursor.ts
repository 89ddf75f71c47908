import { createHash } from 'node:crypto';
import type {
  EntityOrderField,
  EntityPosition,
} from '../entities/EntitiesCatalog';

/**
 * Writes a cursor object as URL-safe base64 of its JSON, opaque to
 * clients and safe in a query string without escaping.
 *
 * @internal
 */
export function encodeCursor(cursor: object): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/**
 * The `after` cursor of `GET /entities`: the position of the last entity
 * of a page and a short digest of the order it belongs to. The order
 * itself is in the link's own `order` parameters, so the cursor, and the
 * `Link` header that carries it, stays short.
 *
 * @internal
 */
export function encodeAfterCursor(
  order: EntityOrderField[],
  position: EntityPosition,
): string {
  return encodeCursor({ order: digestOrder(order), position });
}

/**
 * A digest of an order, to tell whether an `after` cursor continues it.
 *
 * @internal
 */
export function digestOrder(order: EntityOrderField[]): string {
  return createHash('sha256')
    .update(JSON.stringify(order))
    .digest('base64url')
    .slice(0, 16);
}
