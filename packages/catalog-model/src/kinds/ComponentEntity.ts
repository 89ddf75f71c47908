import type { Entity } from '../entity/Entity';
import { createKindSchema } from './createKindSchema';
import { specFieldSchemas as field } from './specFieldSchemas';

/**
 * A piece of software, such as a service, a website or a library.
 *
 * @public
 */
export type ComponentEntity = Entity & {
  apiVersion: 'backstage.io/v1alpha1' | 'backstage.io/v1beta1';
  kind: 'Component';
  spec: {
    /** What sort of component it is, e.g. `service` or `website`. */
    type: string;
    /** Where it is in its life, e.g. `experimental` or `production`. */
    lifecycle: string;
    /** The ref of the user or group that owns it. */
    owner: string;
    /** The ref of the component it is a part of. */
    subcomponentOf?: string;
    /** The refs of the APIs it provides. */
    providesApis?: string[];
    /** The refs of the APIs it consumes. */
    consumesApis?: string[];
    /** The refs of the components and resources it needs. */
    dependsOn?: string[];
    /** The refs of the components and resources that need it. */
    dependencyOf?: string[];
    /** The ref of the system it belongs to. */
    system?: string;
  };
};

/** The schema of {@link ComponentEntity}. */
export const componentEntitySchema = createKindSchema({
  kind: 'Component',
  description:
    'A piece of software, such as a service, a website or a library.',
  required: ['type', 'lifecycle', 'owner'],
  properties: {
    type: field.text('What sort of component it is, e.g. service.'),
    lifecycle: field.text('Where it is in its life, e.g. production.'),
    owner: field.entityRef('The user or group that owns it.'),
    subcomponentOf: field.entityRef('The component it is a part of.'),
    providesApis: field.entityRefList('The APIs it provides.'),
    consumesApis: field.entityRefList('The APIs it consumes.'),
    dependsOn: field.entityRefList('The components and resources it needs.'),
    dependencyOf: field.entityRefList(
      'The components and resources that need it.',
    ),
    system: field.entityRef('The system it belongs to.'),
  },
});
