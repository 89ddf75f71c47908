import type { JsonObject } from '@plinth/errors';

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
