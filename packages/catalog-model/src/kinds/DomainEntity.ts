import type { Entity } from '../entity/Entity';
import { createKindSchema } from './createKindSchema';
import { specFieldSchemas as field } from './specFieldSchemas';

/**
 * An area of the business that groups systems.
 *
 * @public
 */
export type DomainEntity = Entity & {
  apiVersion: 'backstage.io/v1alpha1' | 'backstage.io/v1beta1';
  kind: 'Domain';
  spec: {
    /** The ref of the user or group that owns it. */
    owner: string;
    /** The ref of the larger domain it is a part of. */
    subdomainOf?: string;
    /** What sort of domain it is. */
    type?: string;
  };
};

/** The schema of {@link DomainEntity}. */
export const domainEntitySchema = createKindSchema({
  kind: 'Domain',
  description: 'An area of the business that groups systems.',
  required: ['owner'],
  properties: {
    owner: field.entityRef('The user or group that owns it.'),
    subdomainOf: field.entityRef('The larger domain it is a part of.'),
    type: field.text('What sort of domain it is.'),
  },
});
