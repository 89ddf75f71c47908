import { describeIdRule, isValidId } from '@plinth/backend-plugin-api';
import type {
  ApiTokenCreateRequest,
  ApiTokenScopes,
} from '@plinth/backend-plugin-api/alpha';
import { describeValue, InputError, quoteList } from '@plinth/errors';

/** Token names: what CI config and URLs carry without escaping. */
const namePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Permission names are ids such as `catalog.entity.create`. */
const permissionNamePattern = /^[^\s]{1,200}$/;
/**
 * Scopes are checked on every request the token makes, so a scope list
 * stays short; a token that needs more should drop the scope instead.
 */
const MAX_SCOPE_ENTRIES = 100;
const scopeKeys = ['pluginIds', 'permissionNames', 'readOnly'];

/**
 * Checks a create request, naming the first invalid field in a 400: the
 * request comes from the admin API, so from outside the backend.
 *
 * @returns the scopes as stored (only the keys that narrow anything) and
 *   the expiry, defaulting to now plus `maxLifetimeMs`.
 * @throws `InputError` naming the field, what it must be and what it is.
 */
export function assertApiTokenRequest(
  request: ApiTokenCreateRequest,
  maxLifetimeMs: number,
): { scopes: ApiTokenScopes; expiresAt: Date } {
  assertApiTokenName(request.name);
  if (typeof request.createdBy !== 'string' || request.createdBy === '') {
    throw invalid('createdBy', 'the caller', request.createdBy);
  }
  return {
    scopes: readScopes(request.scopes),
    expiresAt: readExpiry(request.expiresAt, maxLifetimeMs),
  };
}

/** @throws `InputError` when `name` cannot name a token. */
export function assertApiTokenName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !namePattern.test(name)) {
    throw invalid(
      'name',
      "lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters, such as 'ci-deploy'",
      name,
    );
  }
}

function readScopes(scopes: unknown): ApiTokenScopes {
  if (scopes === undefined) {
    return {};
  }
  if (typeof scopes !== 'object' || scopes === null || Array.isArray(scopes)) {
    throw invalid('scopes', 'an object', scopes);
  }
  const unknown = Object.keys(scopes).filter(key => !scopeKeys.includes(key));
  if (unknown.length > 0) {
    throw new InputError(
      `Invalid API token request: unknown scope ${quoteList(unknown)}; the scopes are ${quoteList(scopeKeys, 'and')}.`,
    );
  }
  const { pluginIds, permissionNames, readOnly } = scopes as Record<
    string,
    unknown
  >;
  const result: ApiTokenScopes = {};
  if (pluginIds !== undefined) {
    result.pluginIds = readList('scopes.pluginIds', pluginIds, id =>
      isValidId('plugin id', id) ? undefined : describeIdRule('plugin id'),
    );
  }
  if (permissionNames !== undefined) {
    result.permissionNames = readList(
      'scopes.permissionNames',
      permissionNames,
      name =>
        permissionNamePattern.test(name)
          ? undefined
          : "a permission name without whitespace, at most 200 characters, such as 'catalog.entity.read'",
    );
  }
  if (readOnly !== undefined && typeof readOnly !== 'boolean') {
    throw invalid('scopes.readOnly', 'true or false', readOnly);
  }
  if (readOnly) {
    result.readOnly = true;
  }
  return result;
}

/**
 * A non-empty list of distinct strings, each passing `check`, which
 * returns what the entry should be when it does not pass.
 */
function readList(
  field: string,
  value: unknown,
  check: (entry: string) => string | undefined,
): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid(
      field,
      'a non-empty list; leave the scope out to allow all',
      value,
    );
  }
  if (value.length > MAX_SCOPE_ENTRIES) {
    throw new InputError(
      `Invalid API token request: '${field}' lists ${value.length} entries, more than the ${MAX_SCOPE_ENTRIES} a scope may list; leave the scope out to allow all.`,
    );
  }
  value.forEach((entry: unknown, index) => {
    const problem =
      typeof entry === 'string' ? check(entry) : 'a non-empty string';
    if (problem) {
      throw invalid(`${field}[${index}]`, problem, entry);
    }
  });
  return [...new Set(value as string[])];
}

function readExpiry(expiresAt: unknown, maxLifetimeMs: number): Date {
  const now = Date.now();
  if (expiresAt === undefined) {
    return new Date(now + maxLifetimeMs);
  }
  if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) {
    throw invalid('expiresAt', 'a date', expiresAt);
  }
  if (expiresAt.getTime() <= now) {
    throw new InputError(
      `Invalid API token request: 'expiresAt' ${expiresAt.toISOString()} has passed; pick a time in the future.`,
    );
  }
  const latest = new Date(now + maxLifetimeMs);
  if (expiresAt > latest) {
    throw new InputError(
      `Invalid API token request: 'expiresAt' ${expiresAt.toISOString()} is later than ${latest.toISOString()}, the longest lifetime 'backend.auth.apiTokens.maxLifetime' allows; pick an earlier time, or raise that limit.`,
    );
  }
  return expiresAt;
}

function invalid(field: string, expected: string, value: unknown) {
  return new InputError(
    `Invalid API token request: '${field}' must be ${expected}, got ${describeValue(value)}.`,
  );
}
