import type { Entity } from '../entity/Entity';
import { createKindSchema } from './createKindSchema';
import { specFieldSchemas as field } from './specFieldSchemas';

/**
 * A person, such as an employee, who belongs to groups.
 *
 * @public
 */
export type UserEntity = Entity & {
  apiVersion: 'backstage.io/v1alpha1' | 'backstage.io/v1beta1';
  kind: 'User';
  spec: {
    /** Display details. */
    profile?: { displayName?: string; email?: string; picture?: string };
    /** The refs of the groups they belong to directly; present, but may be empty. */
    memberOf: string[];
  };
};

/** The schema of {@link UserEntity}. */
export const userEntitySchema = createKindSchema({
  kind: 'User',
  description: 'A person, such as an employee, who belongs to groups.',
  required: ['memberOf'],
  properties: {
    profile: field.profile('Display details of the user.'),
    memberOf: field.entityRefList(
      'The groups they belong to directly; may be empty.',
    ),
  },
});
