/*
 * Reading query parameters: unknown names, single, list and integer
 * values, and entity field paths.
 */
import { InputError, quoteList } from '@plinth/errors';
import { containsNul, nulProblem } from './nulCharacter';
import type { Request } from 'express';
import { isPrototypeKey } from '@plinth/catalog-model';

/**
 * The request's query parameters, read once (express parses them again on
 * each access), after refusing any the route does not know: a typo such
 * as `filters=` fails loudly instead of being ignored.
 *
 * @throws InputError naming the parameter, the route and the known ones.
 * @internal
 */
export function readQueryParams(
  req: Request,
  known: ReadonlySet<string>,
  route: string,
): Record<string, unknown> {
  const query: Record<string, unknown> = req.query;
  for (const name in query) {
    if (!known.has(name)) {
      const list = quoteList(known);
      throw new InputError(
        `Unknown query parameter '${name}' for ${route}; ${list ? `the known ones are ${list}` : 'it takes none'}.`,
      );
    }
  }
  return query;
}

/**
 * The value of a query parameter that may appear at most once.
 *
 * @throws InputError when it appears more than once, or holds a NUL.
 * @internal
 */
export function readStringParam(
  query: Record<string, unknown>,
  name: string,
): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') {
    assertNoNul(name, value);
    return value;
  }
  if (Array.isArray(value)) {
    throw new InputError(
      `Invalid query parameter '${name}': expected one value, got ${value.length} (${quoteList(value.map(String))}). Pass '${name}' once.`,
    );
  }
  throw new InputError(
    `Invalid query parameter '${name}': expected a string, got ${JSON.stringify(value)}.`,
  );
}

/**
 * The values of a query parameter that may repeat, in order.
 *
 * @throws InputError when one is not a string, or holds a NUL.
 * @internal
 */
export function readStringListParam(
  query: Record<string, unknown>,
  name: string,
): string[] | undefined {
  const value = query[name];
  if (value === undefined) {
    return undefined;
  }
  const values: unknown[] = Array.isArray(value) ? value : [value];
  for (const item of values) {
    if (typeof item !== 'string') {
      throw new InputError(
        `Invalid query parameter '${name}': expected strings, got ${JSON.stringify(item)}.`,
      );
    }
    assertNoNul(name, item);
  }
  return values as string[];
}

function assertNoNul(name: string, value: string | undefined): void {
  if (containsNul(value)) {
    throw new InputError(`Invalid query parameter '${name}': ${nulProblem}.`);
  }
}

const digits = /^\d+$/;

/**
 * The bounds of an integer query parameter; `maxSource` names the config
 * key the maximum comes from, for the error message.
 *
 * @internal
 */
export interface IntegerParamBounds {
  min: number;
  max?: number;
  maxSource?: string;
}

/**
 * The value of a query parameter that must be a whole number in bounds.
 *
 * @throws InputError naming the parameter, the value and the bounds.
 * @internal
 */
export function readIntegerParam(
  query: Record<string, unknown>,
  name: string,
  bounds: IntegerParamBounds,
): number | undefined {
  const text = readStringParam(query, name);
  if (text === undefined) {
    return undefined;
  }
  const value = digits.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < bounds.min) {
    throw new InputError(
      `Invalid query parameter '${name}': expected an integer of at least ${bounds.min}, got '${text}'.`,
    );
  }
  if (bounds.max !== undefined && value > bounds.max) {
    const source = bounds.maxSource ? ` (set by '${bounds.maxSource}')` : '';
    throw new InputError(
      `Invalid query parameter '${name}': expected an integer of at most ${bounds.max}${source}, got '${text}'. Ask for fewer and follow the pages.`,
    );
  }
  return value;
}

const roots = ['apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'];
/**
 * Longer than any path of a valid entity: the longest is an annotation,
 * whose key has at most 253 + 1 + 63 characters.
 */
const maxPathLength = 400;
const lowercaseRoots = new Set(roots.map(root => root.toLowerCase()));
const rootList = quoteList(roots);

/**
 * Why a dotted path cannot name anything in an entity, or `undefined` when
 * it can: it is too long, has an empty part, an array index or a part that
 * names a prototype, or does not start at one of the entity's top-level
 * fields. Filter, order and facet keys
 * compare case-insensitively; `fields` paths are exact.
 *
 * @internal
 */
export function findEntityPathProblem(
  path: string,
  caseSensitive: boolean,
): string | undefined {
  if (path.length > maxPathLength) {
    return `'${path.slice(0, 40)}...' is ${path.length} characters long, longer than any field of an entity (${maxPathLength})`;
  }
  if (path.includes('[')) {
    return `'${path}' has an array index; name object keys only, as in 'metadata.tags'`;
  }
  const parts = path.split('.');
  const prototypeKey = parts.find(isPrototypeKey);
  if (prototypeKey !== undefined) {
    return `'${path}' has the part '${prototypeKey}', which names an object's prototype, never an entity field`;
  }
  if (parts.some(part => part === '')) {
    return `'${path}' has an empty part; separate the keys of a path with single dots, as in 'metadata.name'`;
  }
  const known = caseSensitive
    ? roots.includes(parts[0])
    : lowercaseRoots.has(parts[0].toLowerCase());
  if (!known) {
    return `'${path}' does not start with a top-level entity field; start it with one of ${rootList}`;
  }
  return undefined;
}
