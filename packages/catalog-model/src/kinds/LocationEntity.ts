import type { Entity } from '../entity/Entity';
import { createKindSchema } from './createKindSchema';
import { specFieldSchemas as field } from './specFieldSchemas';

/**
 * A pointer to more places that hold entity descriptors.
 *
 * @public
 */
export type LocationEntity = Entity & {
  apiVersion: 'backstage.io/v1alpha1' | 'backstage.io/v1beta1';
  kind: 'Location';
  spec: {
    /** The type of the targets; the type of the location that read it when left out. */
    type?: string;
    /** One target, absolute or relative to this entity's location. */
    target?: string;
    /** More targets, absolute or relative to this entity's location. */
    targets?: string[];
    /** Whether a missing target is an error (`required`, the default) or not. */
    presence?: 'required' | 'optional';
  };
};

/** The schema of {@link LocationEntity}. */
export const locationEntitySchema = createKindSchema({
  kind: 'Location',
  description: 'A pointer to more places that hold entity descriptors.',
  required: [],
  properties: {
    type: field.text(
      'The type of the targets; that of the reading location when left out.',
    ),
    target: field.text('One target, absolute or relative to this entity.'),
    targets: {
      type: 'array',
      description: 'More targets, absolute or relative to this entity.',
      items: { type: 'string', minLength: 1 },
    },
    presence: {
      enum: ['required', 'optional'],
      description: 'Whether a missing target is an error.',
    },
  },
});
