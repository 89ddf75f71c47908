import type { EntityKindSchema } from '../validation/EntityKindSchema';
import { apiEntitySchema } from './ApiEntity';
import { componentEntitySchema } from './ComponentEntity';
import { domainEntitySchema } from './DomainEntity';
import { groupEntitySchema } from './GroupEntity';
import { locationEntitySchema } from './LocationEntity';
import { resourceEntitySchema } from './ResourceEntity';
import { systemEntitySchema } from './SystemEntity';
import { userEntitySchema } from './UserEntity';

/**
 * The schemas of the built-in kinds: Component, API, Resource, System,
 * Domain, Group, User and Location, each under `backstage.io/v1alpha1` and
 * `backstage.io/v1beta1`.
 *
 * @public
 */
export const builtinKindSchemas: readonly EntityKindSchema[] = Object.freeze([
  componentEntitySchema,
  apiEntitySchema,
  resourceEntitySchema,
  systemEntitySchema,
  domainEntitySchema,
  groupEntitySchema,
  userEntitySchema,
  locationEntitySchema,
]);
