import type { Entity } from '../entity/Entity';

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
