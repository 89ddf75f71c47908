import type { Entity } from './Entity';
import type { EntityKindSchema } from '../validation/compileKindSchemas';
import {
  createKindSchema,
  specFieldSchemas as field,
} from './entityEnvelopeSchema';

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
const componentEntitySchema = createKindSchema({
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
const apiEntitySchema = createKindSchema({
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
const resourceEntitySchema = createKindSchema({
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
const systemEntitySchema = createKindSchema({
  kind: 'System',
  description: 'A group of components, APIs and resources that work together.',
  required: ['owner'],
  properties: {
    owner: field.entityRef('The user or group that owns it.'),
    domain: field.entityRef('The domain it belongs to.'),
    type: field.text('What sort of system it is.'),
  },
});

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
const domainEntitySchema = createKindSchema({
  kind: 'Domain',
  description: 'An area of the business that groups systems.',
  required: ['owner'],
  properties: {
    owner: field.entityRef('The user or group that owns it.'),
    subdomainOf: field.entityRef('The larger domain it is a part of.'),
    type: field.text('What sort of domain it is.'),
  },
});

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
const groupEntitySchema = createKindSchema({
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
const userEntitySchema = createKindSchema({
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
const locationEntitySchema = createKindSchema({
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
