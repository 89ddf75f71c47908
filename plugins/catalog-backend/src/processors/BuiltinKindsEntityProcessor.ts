import {
  RELATION_API_CONSUMED_BY,
  RELATION_API_PROVIDED_BY,
  RELATION_CHILD_OF,
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_MEMBER,
  RELATION_HAS_PART,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PARENT_OF,
  RELATION_PART_OF,
  RELATION_PROVIDES_API,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
  type CompoundEntityRef,
  type Entity,
  type JsonValue,
} from '@plinth/catalog-model';
import { InputError } from '@plinth/errors';
import {
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorEmit,
  type LocationSpec,
} from '@plinth/plugin-catalog-node';

/** A `spec` field that refers to other entities, and the relations it makes. */
interface RelationField {
  field: string;
  /** The kind of a ref without one; without it such a ref is an error. */
  defaultKind?: string;
  /** From this entity to the target. */
  outgoing: string;
  /** From the target back to this entity. */
  incoming: string;
}

const owner: RelationField = {
  field: 'owner',
  defaultKind: 'Group',
  outgoing: RELATION_OWNED_BY,
  incoming: RELATION_OWNER_OF,
};
const system: RelationField = {
  field: 'system',
  defaultKind: 'System',
  outgoing: RELATION_PART_OF,
  incoming: RELATION_HAS_PART,
};
const dependsOn: RelationField = {
  field: 'dependsOn',
  outgoing: RELATION_DEPENDS_ON,
  incoming: RELATION_DEPENDENCY_OF,
};
const dependencyOf: RelationField = {
  field: 'dependencyOf',
  outgoing: RELATION_DEPENDENCY_OF,
  incoming: RELATION_DEPENDS_ON,
};

/** Keyed by lowercased kind. */
const relationFieldsByKind: ReadonlyMap<string, readonly RelationField[]> =
  new Map([
    [
      'component',
      [
        owner,
        system,
        {
          field: 'subcomponentOf',
          defaultKind: 'Component',
          outgoing: RELATION_PART_OF,
          incoming: RELATION_HAS_PART,
        },
        {
          field: 'providesApis',
          defaultKind: 'API',
          outgoing: RELATION_PROVIDES_API,
          incoming: RELATION_API_PROVIDED_BY,
        },
        {
          field: 'consumesApis',
          defaultKind: 'API',
          outgoing: RELATION_CONSUMES_API,
          incoming: RELATION_API_CONSUMED_BY,
        },
        dependsOn,
        dependencyOf,
      ],
    ],
    ['api', [owner, system]],
    ['resource', [owner, system, dependsOn, dependencyOf]],
    [
      'system',
      [
        owner,
        {
          field: 'domain',
          defaultKind: 'Domain',
          outgoing: RELATION_PART_OF,
          incoming: RELATION_HAS_PART,
        },
      ],
    ],
    [
      'domain',
      [
        owner,
        {
          field: 'subdomainOf',
          defaultKind: 'Domain',
          outgoing: RELATION_PART_OF,
          incoming: RELATION_HAS_PART,
        },
      ],
    ],
    [
      'user',
      [
        {
          field: 'memberOf',
          defaultKind: 'Group',
          outgoing: RELATION_MEMBER_OF,
          incoming: RELATION_HAS_MEMBER,
        },
      ],
    ],
    [
      'group',
      [
        {
          field: 'parent',
          defaultKind: 'Group',
          outgoing: RELATION_CHILD_OF,
          incoming: RELATION_PARENT_OF,
        },
        {
          field: 'children',
          defaultKind: 'Group',
          outgoing: RELATION_PARENT_OF,
          incoming: RELATION_CHILD_OF,
        },
        {
          field: 'members',
          defaultKind: 'User',
          outgoing: RELATION_HAS_MEMBER,
          incoming: RELATION_MEMBER_OF,
        },
      ],
    ],
  ]);

function isRefWithoutKind(
  value: string,
  context: { defaultNamespace?: string },
): boolean {
  try {
    parseEntityRef(value, { ...context, defaultKind: 'any' });
    return true;
  } catch {
    return false;
  }
}

function parseTarget(
  entity: Entity,
  relation: RelationField,
  value: JsonValue,
  fieldPath: string,
): CompoundEntityRef {
  const self = stringifyEntityRef(entity);
  if (typeof value !== 'string') {
    throw new InputError(
      `Entity '${self}' has ${JSON.stringify(value)} at '${fieldPath}', which is not an entity ref. Write it as '[<kind>:][<namespace>/]<name>'.`,
    );
  }
  const context = {
    defaultKind: relation.defaultKind,
    defaultNamespace: entity.metadata.namespace,
  };
  try {
    return parseEntityRef(value, context);
  } catch (error) {
    if (!relation.defaultKind && isRefWithoutKind(value, context)) {
      throw new InputError(
        `Entity '${self}' has the ref '${value}' at '${fieldPath}' without a kind, and '${relation.field}' has no default kind. Write it as '<kind>:[<namespace>/]<name>', e.g. 'resource:${value}'.`,
      );
    }
    throw new InputError(
      `Entity '${self}' has an invalid entity ref at '${fieldPath}'`,
      error,
    );
  }
}

/**
 * Emits both directions of each relation the `spec` fields of the built-in
 * kinds declare, such as `ownedBy` and `ownerOf` for `spec.owner`. Their
 * schemas are checked by the orchestrator's entity validator, which also
 * holds the schemas modules add.
 *
 * @remarks
 * Refs in these fields default to the entity's own namespace and to the
 * usual kind of the field (`owner` to Group, `system` to System, `apis`
 * to API, `members` to User, ...); `dependsOn` and `dependencyOf` have no
 * default kind, so their refs must name one.
 *
 * @internal
 */
export class BuiltinKindsEntityProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'BuiltinKindsEntityProcessor';
  }

  getPriority(): number {
    return 20;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const fields = relationFieldsByKind.get(entity.kind.toLowerCase());
    if (!fields || !entity.spec) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    for (const relation of fields) {
      const value = entity.spec[relation.field];
      if (value === undefined || value === null) {
        continue;
      }
      const values = Array.isArray(value) ? value : [value];
      values.forEach((item, index) => {
        const fieldPath = Array.isArray(value)
          ? `spec.${relation.field}[${index}]`
          : `spec.${relation.field}`;
        const target = parseTarget(entity, relation, item, fieldPath);
        emit(
          processingResult.relation({
            source: self,
            type: relation.outgoing,
            target,
          }),
        );
        emit(
          processingResult.relation({
            source: target,
            type: relation.incoming,
            target: self,
          }),
        );
      });
    }
    return entity;
  }
}
