import type { Entity } from '../entity/Entity';
import { createKindSchema } from './createKindSchema';
import { specFieldSchemas as field } from './specFieldSchemas';

/**
 * Infrastructure a component needs at run time, such as a database or a
 * bucket.
 *
 * @public
 */
export type ResourceEntity = Entity & {
  apiVersion: 'backstage.io/v1alpha1' | 'backstage.io/v1beta1';
  kind: 'Resource';
  spec: {
    /** What sort of resource it is, e.g. `database`. */
    type: string;
    /** The ref of the user or group that owns it. */
    owner: string;
    /** The refs of the components and resources it needs. */
    dependsOn?: string[];
    /** The refs of the components and resources that need it. */
    dependencyOf?: string[];
    /** The ref of the system it belongs to. */
    system?: string;
  };
};

/** The schema of {@link ResourceEntity}. */
export const resourceEntitySchema = createKindSchema({
  kind: 'Resource',
  description:
    'Infrastructure a component needs at run time, such as a database.',
  required: ['type', 'owner'],
  properties: {
    type: field.text('What sort of resource it is, e.g. database.'),
    owner: field.entityRef('The user or group that owns it.'),
    dependsOn: field.entityRefList('The components and resources it needs.'),
    dependencyOf: field.entityRefList(
      'The components and resources that need it.',
    ),
    system: field.entityRef('The system it belongs to.'),
  },
});
