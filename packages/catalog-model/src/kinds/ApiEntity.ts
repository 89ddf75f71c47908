import type { Entity } from '../entity/Entity';
import { createKindSchema } from './createKindSchema';
import { specFieldSchemas as field } from './specFieldSchemas';

/**
 * An interface that components provide and consume, with its definition.
 *
 * @public
 */
export type ApiEntity = Entity & {
  apiVersion: 'backstage.io/v1alpha1' | 'backstage.io/v1beta1';
  kind: 'API';
  spec: {
    /** The format of the definition, e.g. `openapi` or `grpc`. */
    type: string;
    /** Where it is in its life, e.g. `experimental` or `production`. */
    lifecycle: string;
    /** The ref of the user or group that owns it. */
    owner: string;
    /** The definition itself, in the format `type` names. */
    definition: string;
    /** The ref of the system it belongs to. */
    system?: string;
  };
};

/** The schema of {@link ApiEntity}. */
export const apiEntitySchema = createKindSchema({
  kind: 'API',
  description:
    'An interface that components provide and consume, with its definition.',
  required: ['type', 'lifecycle', 'owner', 'definition'],
  properties: {
    type: field.text('The format of the definition, e.g. openapi.'),
    lifecycle: field.text('Where it is in its life, e.g. production.'),
    owner: field.entityRef('The user or group that owns it.'),
    definition: field.text('The definition, in the format type names.'),
    system: field.entityRef('The system it belongs to.'),
  },
});
