/*
 * Cursors: writing them for responses, and reading the ones clients send
 * back as the untrusted input they are.
 */
import { InputError } from '@plinth/errors';
import { containsNul, nulProblem } from './nulCharacter';
import type {
  EntityFilter,
  EntityFullTextFilter,
  EntityOrderField,
  EntityPosition,
} from '../../entities/EntitiesCatalog';
import { findEntityPathProblem } from './queryParams';
import { assertFilterWithinLimits } from './parseEntityFilterParams';
import { overCap, type QueryLimits } from './readQueryLimits';
import { createHash } from 'node:crypto';

const base64url = /^[A-Za-z0-9_-]+$/;
/** Longer values are cut in messages, which only need to identify them. */
const shownLength = 40;

/**
 * Reads a cursor that {@link encodeCursor} wrote and a client sent back,
 * checking the shape of every field it reads, and what it asks for
 * against the same limits as a query's parameters: a cursor is client
 * input.
 *
 * @internal
 */
export class CursorReader {
  readonly #data: Record<string, unknown>;
  readonly #param: string;
  readonly #describe: string;
  readonly #fix: string;
  readonly #limits: QueryLimits;

  /**
   * Decodes the parameter's value; `fix` tells the client what to send.
   *
   * @throws InputError when it is longer than
   *   `catalog.queryLimits.maxCursorLength`, or not URL-safe base64 of a
   *   JSON object, or holds a NUL.
   */
  static decode(
    param: string,
    text: string,
    fix: string,
    limits: QueryLimits,
  ): CursorReader {
    if (text.length > limits.maxCursorLength) {
      throw new InputError(
        `Invalid query parameter '${param}': it is ${text.length} characters long, more than the ${limits.maxCursorLength} that 'catalog.queryLimits.maxCursorLength' allows. ${fix}`,
      );
    }
    const shown =
      text.length > shownLength ? `${text.slice(0, shownLength)}...` : text;
    const describe = `Invalid query parameter '${param}' ('${shown}')`;
    if (!base64url.test(text)) {
      throw new InputError(`${describe}: it is not URL-safe base64. ${fix}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    } catch {
      throw new InputError(`${describe}: it does not decode to JSON. ${fix}`);
    }
    if (!isRecord(data)) {
      throw new InputError(`${describe}: it is not a cursor object. ${fix}`);
    }
    if (containsNul(data)) {
      throw new InputError(`${describe}: ${nulProblem}. ${fix}`);
    }
    return new CursorReader(data, { param, describe, fix, limits });
  }

  private constructor(
    data: Record<string, unknown>,
    context: {
      param: string;
      describe: string;
      fix: string;
      limits: QueryLimits;
    },
  ) {
    this.#data = data;
    this.#param = context.param;
    this.#describe = context.describe;
    this.#fix = context.fix;
    this.#limits = context.limits;
  }

  /** Order fields, each `{ field, order: 'asc' | 'desc' }`. */
  orderFields(key: string): EntityOrderField[] {
    const value = this.#data[key];
    if (
      !Array.isArray(value) ||
      !value.every(
        item =>
          isRecord(item) &&
          typeof item.field === 'string' &&
          (item.order === 'asc' || item.order === 'desc'),
      )
    ) {
      throw this.#fail(`its '${key}' is not a list of order fields`);
    }
    if (value.length > this.#limits.maxOrderFields) {
      throw overCap(
        this.#param,
        value.length,
        'order fields',
        'maxOrderFields',
        this.#limits.maxOrderFields,
      );
    }
    const fields = value as EntityOrderField[];
    fields.forEach(({ field }) => this.#checkPath(key, field));
    return fields;
  }

  /** The value of a key that must be a string, such as a hash. */
  string(key: string): string {
    const value = this.#data[key];
    if (typeof value !== 'string') {
      throw this.#fail(`its '${key}' is not a string`);
    }
    return value;
  }

  /** A position in an ordering of `orderFieldCount` fields. */
  position(key: string, orderFieldCount: number): EntityPosition {
    const value = this.#data[key];
    if (
      !Array.isArray(value) ||
      value.length !== orderFieldCount + 1 ||
      typeof value[orderFieldCount] !== 'string' ||
      !value.every(item => item === null || typeof item === 'string')
    ) {
      throw this.#fail(`its '${key}' is not a position in its order`);
    }
    return value as EntityPosition;
  }

  /** Filter sets, or `undefined` when the cursor has none. */
  filter(key: string): EntityFilter | undefined {
    const value = this.#data[key];
    if (value === undefined) {
      return undefined;
    }
    const isCondition = (item: unknown) =>
      isRecord(item) &&
      typeof item.key === 'string' &&
      (item.values === undefined || isStringList(item.values));
    if (
      !Array.isArray(value) ||
      !value.every(set => Array.isArray(set) && set.every(isCondition))
    ) {
      throw this.#fail(`its '${key}' is not a list of filter sets`);
    }
    const filter = value as EntityFilter;
    assertFilterWithinLimits(filter, this.#limits, this.#param);
    filter.flat().forEach(({ key: path }) => this.#checkPath(key, path));
    return filter;
  }

  /** A full text filter, or `undefined` when the cursor has none. */
  fullTextFilter(key: string): EntityFullTextFilter | undefined {
    const value = this.#data[key];
    if (value === undefined) {
      return undefined;
    }
    if (
      !isRecord(value) ||
      typeof value.term !== 'string' ||
      (value.fields !== undefined && !isStringList(value.fields))
    ) {
      throw this.#fail(`its '${key}' is not a full text filter`);
    }
    const filter = value as unknown as EntityFullTextFilter;
    if ((filter.fields?.length ?? 0) > this.#limits.maxFullTextFields) {
      throw overCap(
        this.#param,
        filter.fields!.length,
        'full text fields',
        'maxFullTextFields',
        this.#limits.maxFullTextFields,
      );
    }
    filter.fields?.forEach(path => this.#checkPath(key, path));
    return filter;
  }

  /** The value of a key as it is, or `undefined`; for the caller to check. */
  optional(key: string): unknown {
    return this.#data[key];
  }

  /** A boolean flag. */
  boolean(key: string): boolean {
    const value = this.#data[key];
    if (typeof value !== 'boolean') {
      throw this.#fail(`its '${key}' is not true or false`);
    }
    return value;
  }

  /** A count, a whole number of zero or more. */
  count(key: string): number {
    const value = this.#data[key];
    if (
      typeof value !== 'number' ||
      !Number.isSafeInteger(value) ||
      value < 0
    ) {
      throw this.#fail(`its '${key}' is not a count`);
    }
    return value;
  }

  #checkPath(key: string, path: string): void {
    const problem = findEntityPathProblem(path, false);
    if (problem) {
      throw this.#fail(`its '${key}' holds an invalid path: ${problem}`);
    }
  }

  #fail(reason: string): InputError {
    return new InputError(`${this.#describe}: ${reason}. ${this.#fix}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(item => typeof item === 'string');
}

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
 * A cursor of `/entities/by-query` that the client will send back as it
 * is, refused here already when {@link CursorReader.decode} would refuse
 * it then.
 *
 * @throws InputError naming the length and `catalog.queryLimits.maxCursorLength`.
 * @internal
 */
export function encodeQueryCursor(
  cursor: object,
  limits: QueryLimits,
  route: string,
): string {
  const text = encodeCursor(cursor);
  if (text.length > limits.maxCursorLength) {
    throw new InputError(
      `Invalid query for ${route}: the cursor to its next page would be ${text.length} characters long, more than the ${limits.maxCursorLength} that 'catalog.queryLimits.maxCursorLength' allows. Shorten the filters, the predicate or the full text filter, or ask for more at once with 'limit'.`,
    );
  }
  return text;
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
