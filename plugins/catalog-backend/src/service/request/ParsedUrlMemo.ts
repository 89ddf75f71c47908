import type { Request } from 'express';

/** Distinct URLs remembered at most; the oldest go first. */
const maxEntries = 256;
/** Longer URLs are parsed every time, so the memo stays small. */
const maxUrlLength = 2048;

/**
 * Remembers what parsing a request's URL gave, for the URLs clients send
 * again and again (the same page of a UI's table, a dashboard's query):
 * reading the query string, checking every name, path and cap of it costs
 * more than the cached answer it leads to. The parse must depend on the
 * URL alone. Only parses that succeeded are kept, so a refused URL is
 * refused again with the same error; the results, shared by every request
 * with the same URL, are frozen so that no handler can change them.
 *
 * @internal
 */
export class ParsedUrlMemo<T> {
  readonly #parse: (req: Request) => T;
  readonly #results = new Map<string, T>();

  constructor(parse: (req: Request) => T) {
    this.#parse = parse;
  }

  /** What `parse` gives for the request's URL (path and query). */
  get(req: Request): T {
    const url = req.originalUrl;
    const known = this.#results.get(url);
    if (known !== undefined) {
      return known;
    }
    const result = deepFreeze(this.#parse(req));
    if (url.length <= maxUrlLength) {
      if (this.#results.size >= maxEntries) {
        this.#results.delete(this.#results.keys().next().value!);
      }
      this.#results.set(url, result);
    }
    return result;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) {
      deepFreeze((value as Record<string, unknown>)[key]);
    }
  }
  return value;
}
