import type { Entity } from '../entity/Entity';
import { EntityValidationError, type EntityValidationProblem } from '../errors';
import { builtinKindSchemas } from '../entity/builtinKindSchemas';
import { collectEnvelopeProblems } from './collectEnvelopeProblems';
import {
  compileKindSchemas,
  createSchemaCompiler,
  indexKindSchemasLazily,
  toSchemaProblems,
  type CompiledKindSchema,
  type EntityKindSchema,
  type KindSchemaIndex,
} from './compileKindSchemas';
import {
  createFieldRuleChecker,
  type FieldValidators,
} from './defaultFieldValidators';

/**
 * Checks entities against the envelope, metadata and kind rules.
 *
 * @public
 */
export interface EntityValidator {
  /**
   * Checks the envelope and metadata rules and returns the entity typed.
   *
   * @throws EntityValidationError naming every broken rule, one line each:
   * the field path, the rule and the value.
   */
  validateEnvelope(entity: unknown): Entity;
  /**
   * Validates the whole entity against the schema for its apiVersion and
   * kind; returns `false` when no schema knows the kind, so the caller can
   * report an unknown kind.
   *
   * @throws EntityValidationError naming every field that breaks the schema.
   */
  validateKind(entity: Entity): boolean;
}

/**
 * Options of {@link createEntityValidator}.
 *
 * @public
 */
export interface CreateEntityValidatorOptions {
  /**
   * Field rules that replace the default ones.
   *
   * @defaultValue the rules of `defaultFieldValidators`
   */
  fieldValidators?: Partial<FieldValidators>;
  /**
   * Kind schemas checked besides the built-in ones. An entity must pass
   * every schema that pins its kind and apiVersion, so a schema for a
   * built-in kind adds rules to it.
   *
   * @defaultValue `[]`
   */
  kindSchemas?: readonly EntityKindSchema[];
}

// Compiling a schema costs far more than running it: each built-in schema
// is compiled once per process, on the first validation of its kind.
let builtinIndex: KindSchemaIndex | undefined;

function getBuiltinIndex(): KindSchemaIndex {
  builtinIndex ??= indexKindSchemasLazily(
    createSchemaCompiler,
    builtinKindSchemas,
    i => `builtinKindSchemas[${i}]`,
  );
  return builtinIndex;
}

/**
 * Creates a validator for entities: the envelope and metadata rules, and
 * the built-in kind schemas plus the given ones.
 *
 * @example
 * ```ts
 * const validator = createEntityValidator();
 * const entity = validator.validateEnvelope(yaml.parse(text));
 * if (!validator.validateKind(entity)) {
 *   throw new Error(`Unknown kind '${entity.kind}'`);
 * }
 * ```
 *
 * @throws InputError when a kind schema pins no kind or is not a valid JSON
 * schema.
 * @public
 */
export function createEntityValidator(
  options: CreateEntityValidatorOptions = {},
): EntityValidator {
  const check = createFieldRuleChecker(options.fieldValidators);
  const index = mergeIndexes(
    getBuiltinIndex(),
    options.kindSchemas?.length
      ? compileKindSchemas(
          createSchemaCompiler(),
          options.kindSchemas,
          i => `kindSchemas[${i}]`,
        )
      : new Map<string, CompiledKindSchema[]>(),
  );
  return {
    validateEnvelope(entity: unknown): Entity {
      const problems = collectEnvelopeProblems(entity, check);
      if (problems.length > 0) {
        throw new EntityValidationError(entity, problems);
      }
      return entity as Entity;
    },
    validateKind(entity: Entity): boolean {
      const schemas = index
        .get(entity.kind)
        ?.filter(
          schema =>
            !schema.apiVersions || schema.apiVersions.has(entity.apiVersion),
        );
      if (!schemas?.length) {
        return false;
      }
      const problems = new Map<string, EntityValidationProblem>();
      for (const schema of schemas) {
        const validate = schema.getValidate();
        if (!validate(entity)) {
          for (const problem of toSchemaProblems(validate.errors ?? [])) {
            problems.set(problem.message, problem);
          }
        }
      }
      if (problems.size > 0) {
        throw new EntityValidationError(entity, [...problems.values()]);
      }
      return true;
    },
  };
}

function mergeIndexes(
  first: KindSchemaIndex,
  second: KindSchemaIndex,
): KindSchemaIndex {
  const merged: KindSchemaIndex = new Map(first);
  for (const [kind, schemas] of second) {
    merged.set(kind, [...(merged.get(kind) ?? []), ...schemas]);
  }
  return merged;
}
