import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import {
  InputError,
  describeSchemaRule,
  formatFieldPath,
  parseInstancePath,
  quoteList,
  type JsonObject,
} from '@plinth/errors';
import type { EntityValidationProblem } from '../errors';
import { entityEnvelopeSchema } from '../entity/entityEnvelopeSchema';
import { createProblem, isPlainObject } from './defaultFieldValidators';

/**
 * A JSON schema that validates whole entities of one kind.
 *
 * @remarks
 * The schema must pin the kind (and may pin the apiVersion) with `enum` or
 * `const` under `properties.kind` and `properties.apiVersion`: the validator
 * uses them to pick the schema for an entity.
 *
 * @public
 */
export interface EntityKindSchema {
  /** A JSON schema (draft-07) of a whole entity of one kind. */
  schema: JsonObject;
}

/** A kind schema ready to run, with the apiVersions it applies to. */
export interface CompiledKindSchema {
  /** Every apiVersion when undefined. */
  apiVersions?: ReadonlySet<string>;
  /** The compiled schema; a lazy index compiles it on the first call. */
  getValidate(): ValidateFunction;
}

/** Compiled kind schemas by the kind they pin. */
export type KindSchemaIndex = Map<string, CompiledKindSchema[]>;

/**
 * A JSON schema compiler that reports every error with its data, and knows
 * the envelope as `Entity` for schemas written in Backstage's style.
 */
export function createSchemaCompiler(): Ajv {
  // `format` needs format definitions this package does not ship; the
  // keyword is ignored rather than warned about on every compile.
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: false,
    validateFormats: false,
  });
  ajv.addSchema(entityEnvelopeSchema, 'Entity');
  return ajv;
}

/**
 * Compiles kind schemas and indexes them by kind.
 *
 * @throws InputError when a schema pins no kind or is not a valid JSON
 * schema, naming it by `label(index)`.
 */
export function compileKindSchemas(
  ajv: Ajv,
  schemas: readonly EntityKindSchema[],
  label: (index: number) => string,
): KindSchemaIndex {
  return indexKindSchemas(schemas, label, (schema, i, kinds) => {
    const validate = compileKindSchema(ajv, schema, label(i), kinds);
    return () => validate;
  });
}

/**
 * Indexes kind schemas by kind like {@link compileKindSchemas}, but
 * compiles each one on the first validation of its kind, with a compiler
 * made then. Only for schemas known to compile, such as the built-in ones:
 * compiling them all costs every start more than a tenth of a second,
 * mostly for kinds a catalog may never hold.
 *
 * @throws InputError when a schema pins no kind; a schema that does not
 * compile throws from `getValidate()`.
 */
export function indexKindSchemasLazily(
  createAjv: () => Ajv,
  schemas: readonly EntityKindSchema[],
  label: (index: number) => string,
): KindSchemaIndex {
  let ajv: Ajv | undefined;
  return indexKindSchemas(schemas, label, (schema, i, kinds) => {
    let validate: ValidateFunction | undefined;
    return () =>
      (validate ??= compileKindSchema(
        (ajv ??= createAjv()),
        schema,
        label(i),
        kinds,
      ));
  });
}

function indexKindSchemas(
  schemas: readonly EntityKindSchema[],
  label: (index: number) => string,
  prepare: (
    schema: JsonObject,
    index: number,
    kinds: string[],
  ) => () => ValidateFunction,
): KindSchemaIndex {
  const index: KindSchemaIndex = new Map();
  schemas.forEach(({ schema }, i) => {
    const kinds = readPinned(schema, 'kind');
    if (!kinds) {
      throw new InputError(
        `Entity kind schema ${label(i)} does not pin a kind; give it 'properties.kind' with 'enum' or 'const', e.g. { "kind": { "enum": ["Template"] } }, so the validator knows which entities it checks.`,
      );
    }
    const apiVersions = readPinned(schema, 'apiVersion');
    const compiled: CompiledKindSchema = {
      apiVersions: apiVersions && new Set(apiVersions),
      getValidate: prepare(schema, i, kinds),
    };
    for (const kind of kinds) {
      index.set(kind, [...(index.get(kind) ?? []), compiled]);
    }
  });
  return index;
}

function compileKindSchema(
  ajv: Ajv,
  schema: JsonObject,
  label: string,
  kinds: string[],
): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new InputError(
      `Entity kind schema ${label} for kind ${quoteList(kinds)} is not a valid JSON schema (draft-07); fix the keyword its cause names.`,
      error,
    );
  }
}

/**
 * The values a schema allows for a root field through `enum` or `const`,
 * at its top level or in one of its `allOf` parts.
 */
function readPinned(schema: JsonObject, field: string): string[] | undefined {
  const parts = [schema, ...(Array.isArray(schema.allOf) ? schema.allOf : [])];
  for (const part of parts) {
    const rule =
      isPlainObject(part) && isPlainObject(part.properties)
        ? part.properties[field]
        : undefined;
    if (!isPlainObject(rule)) {
      continue;
    }
    if (typeof rule.const === 'string') {
      return [rule.const];
    }
    const values = Array.isArray(rule.enum)
      ? rule.enum.filter(value => typeof value === 'string')
      : [];
    if (values.length > 0) {
      return values;
    }
  }
  return undefined;
}

/**
 * Turns the errors of a JSON schema validation into problems that name the
 * field as a dotted path (`spec.providesApis[0]`), the rule (in the words
 * of `describeSchemaRule` from `@plinth/errors`) and the value.
 */
export function toSchemaProblems(
  errors: readonly ErrorObject[],
): EntityValidationProblem[] {
  return errors.map(error => {
    const path = parseInstancePath(error.instancePath);
    switch (error.keyword) {
      case 'required':
        return createProblem(
          formatFieldPath([...path, String(error.params.missingProperty)]),
          undefined,
          'is required',
        );
      case 'additionalProperties': {
        const property = String(error.params.additionalProperty);
        return createProblem(
          formatFieldPath([...path, property]),
          (error.data as Record<string, unknown>)[property],
          'is not a known field',
          'remove it, or move it where the kind schema allows it',
        );
      }
      default:
        return createProblem(
          formatFieldPath(path),
          error.data,
          describeSchemaRule(error, 'must'),
        );
    }
  });
}
