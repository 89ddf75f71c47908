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
export {
  ANNOTATION_EDIT_URL,
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_ORPHAN,
  ANNOTATION_SOURCE_LOCATION,
  ANNOTATION_VIEW_URL,
  DEFAULT_NAMESPACE,
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
  type CompoundEntityRef,
  type Entity,
  type EntityLink,
  type EntityMeta,
  type EntityRelation,
  type EntityStatus,
  type EntityStatusItem,
} from './entity/Entity';
export {
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
  type EntityRefObject,
  type ParseEntityRefContext,
} from './entity/entityRef';
export {
  describeLocationRef,
  parseLocationRef,
  stringifyLocationRef,
} from './entity/locationRef';
export { EntityValidationError, type EntityValidationProblem } from './errors';
export {
  createEntityValidator,
  type CreateEntityValidatorOptions,
  type EntityValidator,
} from './validation/createEntityValidator';
export {
  defaultFieldValidators,
  type FieldValidators,
} from './validation/defaultFieldValidators';
export type { EntityKindSchema } from './validation/compileKindSchemas';
export { isPrototypeKey } from './validation/collectEnvelopeProblems';
export { entityEnvelopeSchema } from './entity/entityEnvelopeSchema';
export {
  builtinKindSchemas,
  type ApiEntity,
  type ComponentEntity,
  type DomainEntity,
  type GroupEntity,
  type LocationEntity,
  type ResourceEntity,
  type SystemEntity,
  type UserEntity,
} from './entity/builtinKindSchemas';
