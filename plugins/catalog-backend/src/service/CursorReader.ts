import { InputError } from '@plinth/errors';
import type {
  EntityFilter,
  EntityFullTextFilter,
  EntityOrderField,
  EntityPosition,
} from '../entities/EntitiesCatalog';

const base64url = /^[A-Za-z0-9_-]+$/;
/** Longer values are cut in messages, which only need to identify them. */
const shownLength = 40;

/**
 * Reads a cursor that {@link encodeCursor} wrote and a client sent back,
 * checking the shape of every field it reads: a cursor is client input.
 *
 * @internal
 */
export class CursorReader {
  readonly #data: Record<string, unknown>;
  readonly #describe: string;
  readonly #fix: string;

  /**
   * Decodes the parameter's value; `fix` tells the client what to send.
   *
   * @throws InputError when it is not URL-safe base64 of a JSON object.
   */
  static decode(param: string, text: string, fix: string): CursorReader {
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
    return new CursorReader(data, describe, fix);
  }

  private constructor(
    data: Record<string, unknown>,
    describe: string,
    fix: string,
  ) {
    this.#data = data;
    this.#describe = describe;
    this.#fix = fix;
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
    return value as EntityOrderField[];
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
    return value as EntityFilter;
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
    return value as unknown as EntityFullTextFilter;
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
