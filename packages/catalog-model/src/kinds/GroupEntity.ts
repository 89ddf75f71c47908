import type { Entity } from '../entity/Entity';
import { createKindSchema } from './createKindSchema';
import { specFieldSchemas as field } from './specFieldSchemas';

/**
 * A team or another unit of an organisation, in a hierarchy of groups.
 *
 * @public
 */
export type GroupEntity = Entity & {
  apiVersion: 'backstage.io/v1alpha1' | 'backstage.io/v1beta1';
  kind: 'Group';
  spec: {
    /** What sort of group it is, e.g. `team` or `business-unit`. */
    type: string;
    /** Display details. */
    profile?: { displayName?: string; email?: string; picture?: string };
    /** The ref of its parent group. */
    parent?: string;
    /** The refs of its child groups; present, but may be empty. */
    children: string[];
    /** The refs of the users in it. */
    members?: string[];
  };
};

/** The schema of {@link GroupEntity}. */
export const groupEntitySchema = createKindSchema({
  kind: 'Group',
  description:
    'A team or another unit of an organisation, in a hierarchy of groups.',
  required: ['type', 'children'],
  properties: {
    type: field.text('What sort of group it is, e.g. team.'),
    profile: field.profile('Display details of the group.'),
    parent: field.entityRef('Its parent group.'),
    children: field.entityRefList('Its child groups; may be empty.'),
    members: field.entityRefList('The users in it.'),
  },
});
