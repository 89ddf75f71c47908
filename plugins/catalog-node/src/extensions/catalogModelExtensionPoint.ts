import { createExtensionPoint } from '@plinth/backend-plugin-api';
import type { EntityKindSchema, FieldValidators } from '@plinth/catalog-model';

/**
 * Lets catalog modules change the entity model: relax or tighten field
 * rules, and add kinds.
 *
 * @public
 */
export interface CatalogModelExtensionPoint {
  /** Replaces some of the field rules (entity names, label keys, ...). */
  setFieldValidators(validators: Partial<FieldValidators>): void;
  /** Adds a kind (or a stricter schema for a built-in one). */
  addEntitySchema(schema: EntityKindSchema): void;
}

/**
 * The `catalog.model` extension point.
 *
 * @public
 */
export const catalogModelExtensionPoint =
  createExtensionPoint<CatalogModelExtensionPoint>({ id: 'catalog.model' });
