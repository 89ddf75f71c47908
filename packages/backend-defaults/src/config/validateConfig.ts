import type { JsonObject, JsonValue } from '@plinth/backend-plugin-api';
import { isError, parseInstancePath } from '@plinth/errors';
import Ajv, { type AnySchemaObject, type ErrorObject } from 'ajv';
import {
  configSchemaErrors,
  type PackageConfigSchema,
} from './collectConfigSchemas';
import type { ConfigSource } from './ConfigReader';
import { describeSchemaErrors } from './describeSchemaErrors';
import {
  findUnknownConfigKeys,
  type UndeclaredConfigKey,
} from './findUnknownConfigKeys';
import { readConfigPath, type ConfigPath } from './configPath';

/**
 * Every problem the schemas found, the values they mark secret, and the
 * top-level keys they leave unchecked.
 */
export interface ConfigValidation {
  problems: Error[];
  /** Values at paths a schema marks `visibility: 'secret'`, as text. */
  secrets: Array<{ path: ConfigPath; value: string }>;
  /**
   * Top-level keys that no schema declares and that are not close to a
   * declared one (those are problems), such as the key of a plugin
   * without a schema.
   */
  undeclared: UndeclaredConfigKey[];
}

/** A value a `visibility` or `deepVisibility` keyword marked secret. */
interface SecretMark {
  pointer: string;
  deep: boolean;
  /** Whether the value has the type of the schema node that marks it. */
  fits: boolean;
}

const visibilities = ['frontend', 'backend', 'secret'];
/** Enough passes for any number of coercions: each pass fixes them all. */
const maxPasses = 3;

/**
 * Validates the merged config against each package's schema with ajv
 * (`allErrors`), then looks for keys no schema declares. Strings that read
 * as numbers or booleans, as environment values do, pass a number or
 * boolean schema, the way {@link ConfigReader} reads them.
 */
export function validateConfig(
  data: JsonObject,
  schemas: readonly PackageConfigSchema[],
  sources: readonly ConfigSource[],
): ConfigValidation {
  const marks: SecretMark[] = [];
  const problems: Error[] = [];
  // One compiler for all schemas compiles the meta-schema once, not once
  // per package (~40 ms of every start). A schema
  // that declares an `$id` gets its own, as another package's schema may
  // declare the same one.
  let shared: Ajv | undefined;
  const compilerFor = (schema: JsonObject) =>
    JSON.stringify(schema).includes('"$id"')
      ? createAjv(marks)
      : (shared ??= createAjv(marks));
  const validators = schemas.flatMap(entry => {
    try {
      return [
        { ...entry, validate: compilerFor(entry.schema).compile(entry.schema) },
      ];
    } catch (error) {
      const reason = isError(error) ? error.message : String(error);
      problems.push(configSchemaErrors.invalid(entry.packageName, reason));
      return [];
    }
  });
  const working = structuredClone(data);
  let results: Array<{ packageName: string; errors: ErrorObject[] }> = [];
  for (let pass = 1; pass <= maxPasses; pass++) {
    marks.length = 0;
    results = validators.map(({ packageName, validate }) => ({
      packageName,
      errors: validate(working) ? [] : [...(validate.errors ?? [])],
    }));
    const coerced = results
      .flatMap(r => r.errors)
      .filter(error => coerceValue(working, error));
    if (coerced.length === 0) {
      break;
    }
  }
  const loadedSecrets = sources.flatMap(s => s.secrets ?? []);
  const isSecret = (path: ConfigPath, value: unknown) =>
    marks.some(m => isMarked(m, path, data)) ||
    ((typeof value === 'string' || typeof value === 'number') &&
      loadedSecrets.some(secret => String(value).includes(secret)));
  for (const { packageName, errors } of results) {
    problems.push(
      ...describeSchemaErrors(errors, { packageName, data, sources, isSecret }),
    );
  }
  const unknown = findUnknownConfigKeys(data, validators, sources);
  problems.push(...unknown.problems);
  return {
    problems: sortByKey(dedupe(problems)),
    secrets: marks
      .filter(m => m.fits)
      .flatMap(m =>
        collectSecrets(data, parseInstancePath(m.pointer, data), m.deep),
      ),
    undeclared: unknown.undeclared,
  };
}

function createAjv(marks: SecretMark[]): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    logger: false,
    verbose: true,
    // The validators run once per start, so ajv's passes that tidy the
    // generated code cost more (~0.1 s on our schema) than they ever save.
    code: { optimize: false },
  });
  for (const keyword of ['visibility', 'deepVisibility']) {
    ajv.addKeyword({
      keyword,
      schemaType: 'string',
      metaSchema: { enum: visibilities },
      errors: false,
      validate: (
        visibility: string,
        value: unknown,
        parentSchema?: AnySchemaObject,
        context?: { instancePath: string },
      ) => {
        if (visibility === 'secret' && context) {
          marks.push({
            pointer: context.instancePath,
            deep: keyword === 'deepVisibility',
            fits: fitsType(parentSchema?.type, value),
          });
        }
        return true;
      },
    });
  }
  return ajv;
}

/**
 * Rewrites a string that failed a number, integer or boolean `type` as
 * that type, when it reads as one; returns whether it did.
 */
function coerceValue(working: JsonObject, error: ErrorObject): boolean {
  if (error.keyword !== 'type' || error.instancePath === '') {
    return false;
  }
  const segments = error.instancePath
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = segments.pop()!;
  let parent: unknown = working;
  for (const segment of segments) {
    parent = (parent as Record<string, unknown>)[segment];
  }
  const container = parent as Record<string, unknown>;
  const value = container[last];
  if (typeof value !== 'string' || value.trim() === '') {
    return false;
  }
  const types = String((error.params as { type: unknown }).type).split(',');
  const number = Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) {
    container[last] = value === 'true';
  } else if (
    Number.isFinite(number) &&
    (types.includes('number') ||
      (types.includes('integer') && Number.isInteger(number)))
  ) {
    container[last] = number;
  } else {
    return false;
  }
  return true;
}

function fitsType(type: unknown, value: unknown): boolean {
  if (type === undefined) {
    return true;
  }
  const types = (Array.isArray(type) ? type : [type]) as unknown[];
  if (value === null) {
    return types.includes('null');
  }
  if (Array.isArray(value)) {
    return types.includes('array');
  }
  if (typeof value === 'number') {
    return (
      types.includes('number') ||
      (types.includes('integer') && Number.isInteger(value))
    );
  }
  return types.includes(typeof value);
}

function isMarked(mark: SecretMark, path: ConfigPath, data: JsonObject) {
  const marked = parseInstancePath(mark.pointer, data);
  return (
    marked.length <= path.length &&
    marked.every((segment, i) => path[i] === segment) &&
    (mark.deep || marked.length === path.length)
  );
}

/** The text of the scalar at `path`, or of every scalar below it if `deep`. */
function collectSecrets(
  data: JsonObject,
  path: ConfigPath,
  deep: boolean,
): Array<{ path: ConfigPath; value: string }> {
  const walk = (
    value: JsonValue | undefined,
    at: ConfigPath,
  ): Array<{ path: ConfigPath; value: string }> => {
    if (typeof value === 'string' || typeof value === 'number') {
      return String(value) === '' ? [] : [{ path: at, value: String(value) }];
    }
    if (!deep || value === null || typeof value !== 'object') {
      return [];
    }
    return Array.isArray(value)
      ? value.flatMap((item, i) => walk(item, [...at, i]))
      : Object.entries(value).flatMap(([k, v]) => walk(v, [...at, k]));
  };
  return walk(readConfigPath(data, path), path);
}

function dedupe(problems: readonly Error[]): Error[] {
  const seen = new Set<string>();
  return problems.filter(p => !seen.has(p.message) && seen.add(p.message));
}

function sortByKey(problems: readonly Error[]): Error[] {
  const keyOf = (problem: Error) =>
    'key' in problem && typeof problem.key === 'string' ? problem.key : '';
  // Code-unit order, the same in every locale.
  return [...problems].sort((a, b) =>
    keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0,
  );
}
