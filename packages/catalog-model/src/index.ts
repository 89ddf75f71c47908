/**
 * The software catalog's entity model: entity types, entity and location
 * refs, well-known annotations and relations, the built-in kinds and the
 * validation of entities.
 *
 * @packageDocumentation
 */
export type {
  JsonArray,
  JsonObject,
  JsonPrimitive,
  JsonValue,
} from '@plinth/errors';
export type {
  CompoundEntityRef,
  Entity,
  EntityLink,
  EntityMeta,
  EntityRelation,
  EntityStatus,
  EntityStatusItem,
} from './entity/Entity';
export { DEFAULT_NAMESPACE } from './entity/DEFAULT_NAMESPACE';
export {
  parseEntityRef,
  type EntityRefObject,
  type ParseEntityRefContext,
} from './entity/parseEntityRef';
export { stringifyEntityRef } from './entity/stringifyEntityRef';
export { getCompoundEntityRef } from './entity/getCompoundEntityRef';
export {
  ANNOTATION_EDIT_URL,
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_ORPHAN,
  ANNOTATION_SOURCE_LOCATION,
  ANNOTATION_VIEW_URL,
} from './entity/annotations';
export { parseLocationRef } from './location/parseLocationRef';
export {
  describeLocationRef,
  stringifyLocationRef,
} from './location/stringifyLocationRef';
export {
  RELATION_API_CONSUMED_BY,
  RELATION_API_PROVIDED_BY,
  RELATION_CHILD_OF,
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_MEMBER,
  RELATION_HAS_PART,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PARENT_OF,
  RELATION_PART_OF,
  RELATION_PROVIDES_API,
} from './kinds/relations';
export type { FieldValidators } from './validation/FieldValidators';
export type { EntityKindSchema } from './validation/EntityKindSchema';
export type { EntityValidator } from './validation/EntityValidator';
export {
  EntityValidationError,
  type EntityValidationProblem,
} from './validation/EntityValidationError';
export {
  createEntityValidator,
  type CreateEntityValidatorOptions,
} from './validation/createEntityValidator';
export { defaultFieldValidators } from './validation/defaultFieldValidators';
export { isPrototypeKey } from './validation/isPrototypeKey';
export { entityEnvelopeSchema } from './kinds/entityEnvelopeSchema';
export { builtinKindSchemas } from './kinds/builtinKindSchemas';
export type { ApiEntity } from './kinds/ApiEntity';
export type { ComponentEntity } from './kinds/ComponentEntity';
export type { DomainEntity } from './kinds/DomainEntity';
export type { GroupEntity } from './kinds/GroupEntity';
export type { LocationEntity } from './kinds/LocationEntity';
export type { ResourceEntity } from './kinds/ResourceEntity';
export type { SystemEntity } from './kinds/SystemEntity';
export type { UserEntity } from './kinds/UserEntity';
