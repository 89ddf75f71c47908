import type { Entity } from '../entity/Entity';
import { createKindSchema } from './createKindSchema';
import { specFieldSchemas as field } from './specFieldSchemas';

/**
 * A group of components, APIs and resources that work together.
 *
 * @public
 */
export type SystemEntity = Entity & {
  apiVersion: 'backstage.io/v1alpha1' | 'backstage.io/v1beta1';
  kind: 'System';
  spec: {
    /** The ref of the user or group that owns it. */
    owner: string;
    /** The ref of the domain it belongs to. */
    domain?: string;
    /** What sort of system it is. */
    type?: string;
  };
};

/** The schema of {@link SystemEntity}. */
export const systemEntitySchema = createKindSchema({
  kind: 'System',
  description: 'A group of components, APIs and resources that work together.',
  required: ['owner'],
  properties: {
    owner: field.entityRef('The user or group that owns it.'),
    domain: field.entityRef('The domain it belongs to.'),
    type: field.text('What sort of system it is.'),
  },
});
