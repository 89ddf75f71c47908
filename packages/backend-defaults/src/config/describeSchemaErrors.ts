import type { JsonObject } from '@plinth/backend-plugin-api';
import { describeSchemaRule, parseInstancePath } from '@plinth/errors';
import type { ErrorObject } from 'ajv';
import type { ConfigSource } from './ConfigReader';
import { InvalidConfigError, MissingConfigError } from '../errors';
import {
  findConfigSource,
  formatConfigPath,
  readConfigPath,
  type ConfigPath,
} from './configPath';

/**
 * What {@link describeSchemaErrors} needs to name keys, files and values.
 */
export interface SchemaErrorContext {
  /** The package whose schema reported the errors. */
  packageName: string;
  /** The merged config that was validated, before any coercion. */
  data: JsonObject;
  sources: readonly ConfigSource[];
  /** Whether the value at a path must not be printed. */
  isSecret(path: ConfigPath, value: unknown): boolean;
}

/**
 * Unknown keys are reported by `findUnknownConfigKeys` against the union of
 * all schemas; `if` only says that `then` or `else` failed, which those
 * report themselves.
 */
const ignoredKeywords = new Set([
  'additionalProperties',
  'unevaluatedProperties',
  'if',
]);

/**
 * Turns ajv's errors for one package's schema into config errors that name
 * the full key, the layer the value came from, what was expected and what
 * was found. For `anyOf`/`oneOf`, a branch that matches the value's type
 * reports its own errors; when none does, one error lists what each
 * branch expects (or the schema's `title`).
 */
export function describeSchemaErrors(
  errors: readonly ErrorObject[],
  context: SchemaErrorContext,
): Error[] {
  const relevant = errors.filter(e => !ignoredKeywords.has(e.keyword));
  const combinators = relevant.filter(isCombinator);
  return relevant
    .filter(e => !combinators.some(c => isInside(e, c)))
    .flatMap(e =>
      isCombinator(e)
        ? describeCombinator(e, relevant, context)
        : [describeError(e, context)],
    );
}

function describeCombinator(
  combinator: ErrorObject,
  errors: readonly ErrorObject[],
  context: SchemaErrorContext,
): Error[] {
  const branches = new Map<string, ErrorObject[]>();
  for (const error of errors.filter(e => isInside(e, combinator))) {
    const branch = error.schemaPath
      .slice(combinator.schemaPath.length + 1)
      .split('/')[0];
    branches.set(branch, [...(branches.get(branch) ?? []), error]);
  }
  const fitting = [...branches.values()]
    .filter(b => b.every(e => e.instancePath !== combinator.instancePath))
    .sort((a, b) => a.length - b.length);
  if (fitting.length > 0) {
    return describeSchemaErrors(fitting[0], context);
  }
  const title = readTitle(combinator);
  const expected =
    title ??
    (branches.size === 0
      ? 'a value that matches exactly one of the allowed shapes'
      : [
          ...new Set(
            [...branches.values()].flatMap(b =>
              b
                .filter(e => e.instancePath === combinator.instancePath)
                .filter(e => !isCombinator(e))
                .map(e => describeSchemaRule(e, 'expected')),
            ),
          ),
        ].join(' or '));
  return [invalidValue(combinator, expected, context)];
}

function describeError(error: ErrorObject, context: SchemaErrorContext): Error {
  if (error.keyword === 'required') {
    const parent = parseInstancePath(error.instancePath, context.data);
    const missing = (error.params as { missingProperty: string })
      .missingProperty;
    return new MissingConfigError(
      formatConfigPath([...parent, missing]),
      context.sources
        .map(s => s.context)
        .filter(c => !c.startsWith('APP_CONFIG_')),
      context.packageName,
    );
  }
  const title = error.keyword === 'type' ? undefined : readTitle(error);
  return invalidValue(
    error,
    title ?? describeSchemaRule(error, 'expected'),
    context,
  );
}

function invalidValue(
  error: ErrorObject,
  expected: string,
  context: SchemaErrorContext,
): InvalidConfigError {
  const path = parseInstancePath(error.instancePath, context.data);
  const actual = readConfigPath(context.data, path);
  return new InvalidConfigError(
    formatConfigPath(path),
    findConfigSource(context.sources, path)?.context ?? 'config',
    expected,
    actual,
    { secret: context.isSecret(path, actual) },
  );
}

/**
 * A schema node's `title` stands in for what it expects, such as "a
 * duration", unless the node describes an object's keys.
 */
function readTitle(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as
    { title?: unknown; properties?: unknown } | undefined;
  return typeof schema?.title === 'string' && schema.properties === undefined
    ? schema.title
    : undefined;
}

function isCombinator(error: ErrorObject): boolean {
  return error.keyword === 'anyOf' || error.keyword === 'oneOf';
}

function isInside(error: ErrorObject, combinator: ErrorObject): boolean {
  return (
    error !== combinator &&
    error.schemaPath.startsWith(`${combinator.schemaPath}/`)
  );
}
