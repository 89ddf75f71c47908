/*
 * The catalog's built-in permission rules. Each rule checks a loaded
 * entity (`apply`) and translates to an entity search filter (`toQuery`)
 * that the catalog runs against its search index; the two agree because
 * both compare keys and values case-insensitively, as the index does.
 */
import type { Entity } from '@plinth/catalog-model';
import { createPermissionRule } from '@plinth/plugin-permission-common';
import { z } from 'zod';
import { catalogEntityPermissionResourceRef } from './catalogPermissions';

/**
 * Entities of one of the given kinds.
 *
 * @public
 */
export const isEntityKind = createPermissionRule({
  name: 'IS_ENTITY_KIND',
  description: 'Matches entities whose kind is one of the given kinds',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    kinds: z.array(z.string()).describe('The kinds to match, such as API'),
  }),
  apply: (entity, { kinds }) =>
    kinds.some(kind => equalsIgnoringCase(kind, entity.kind)),
  toQuery: ({ kinds }) => ({ key: 'kind', values: kinds }),
});

/**
 * Entities with an `ownedBy` relation to one of the claims, usually the
 * caller's `ownershipEntityRefs`.
 *
 * @public
 */
export const isEntityOwner = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description: 'Matches entities owned by one of the given entity refs',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs, one of which must own the entity'),
  }),
  apply: (entity, { claims }) => hasRelationTo(entity, 'ownedBy', claims),
  toQuery: ({ claims }) => ({ key: 'relations.ownedBy', values: claims }),
});

/**
 * Entities with an annotation, or with an annotation of a given value.
 *
 * @public
 */
export const hasAnnotation = createPermissionRule({
  name: 'HAS_ANNOTATION',
  description:
    'Matches entities that have the annotation, with the value if one is given',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    annotation: z.string().describe('The annotation key'),
    value: z.string().optional().describe('The value the annotation must have'),
  }),
  apply: (entity, { annotation, value }) =>
    hasSearchValue(entity, `metadata.annotations.${annotation}`, value),
  toQuery: ({ annotation, value }) =>
    toSearchFilter(`metadata.annotations.${annotation}`, value),
});

/**
 * Entities with a label, or with a label of a given value.
 *
 * @public
 */
export const hasLabel = createPermissionRule({
  name: 'HAS_LABEL',
  description:
    'Matches entities that have the label, with the value if one is given',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    label: z.string().describe('The label key'),
    value: z.string().optional().describe('The value the label must have'),
  }),
  apply: (entity, { label, value }) =>
    hasSearchValue(entity, `metadata.labels.${label}`, value),
  toQuery: ({ label, value }) =>
    toSearchFilter(`metadata.labels.${label}`, value),
});

/**
 * Entities with a field under `metadata`, or with a given value there.
 *
 * @public
 */
export const hasMetadata = createPermissionRule({
  name: 'HAS_METADATA',
  description:
    'Matches entities that have the metadata field, with the value if one is given',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    key: z.string().describe('The field under metadata, such as tags'),
    value: z.string().optional().describe('The value the field must have'),
  }),
  apply: (entity, { key, value }) =>
    hasSearchValue(entity, `metadata.${key}`, value),
  toQuery: ({ key, value }) => toSearchFilter(`metadata.${key}`, value),
});

/**
 * Entities with a field under `spec`, or with a given value there.
 *
 * @public
 */
export const hasSpec = createPermissionRule({
  name: 'HAS_SPEC',
  description:
    'Matches entities that have the spec field, with the value if one is given',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    key: z.string().describe('The field under spec, such as lifecycle'),
    value: z.string().optional().describe('The value the field must have'),
  }),
  apply: (entity, { key, value }) =>
    hasSearchValue(entity, `spec.${key}`, value),
  toQuery: ({ key, value }) => toSearchFilter(`spec.${key}`, value),
});

/**
 * Entities with a relation of a type, or of a type to a given entity; a
 * Plinth rule (Backstage has none), for policies such as "members see the
 * systems their group is part of".
 *
 * @public
 */
export const hasRelation = createPermissionRule({
  name: 'HAS_RELATION',
  description:
    'Matches entities that have a relation of the type, to the target if one is given',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    relation: z.string().describe('The relation type, such as partOf'),
    targetRef: z
      .string()
      .optional()
      .describe('The entity ref the relation must point to'),
  }),
  apply: (entity, { relation, targetRef }) =>
    hasRelationTo(
      entity,
      relation,
      targetRef === undefined ? undefined : [targetRef],
    ),
  toQuery: ({ relation, targetRef }) =>
    toSearchFilter(`relations.${relation}`, targetRef),
});

/**
 * The catalog's built-in rules, which it registers for `catalog-entity`.
 *
 * @public
 */
export const catalogPermissionRules = {
  isEntityKind,
  isEntityOwner,
  hasAnnotation,
  hasLabel,
  hasMetadata,
  hasSpec,
  hasRelation,
};

function toSearchFilter(key: string, value: string | undefined) {
  return value === undefined ? { key } : { key, values: [value] };
}

function equalsIgnoringCase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function hasRelationTo(
  entity: Entity,
  type: string,
  targetRefs: string[] | undefined,
): boolean {
  return (entity.relations ?? []).some(
    relation =>
      equalsIgnoringCase(relation.type, type) &&
      (targetRefs === undefined ||
        targetRefs.some(ref => equalsIgnoringCase(ref, relation.targetRef))),
  );
}

/**
 * Whether the entity has a value under the dotted path (equal to `value`
 * when given), reading it as the search index does: path segments and
 * values compare case-insensitively, arrays give each of their items, and
 * numbers and booleans compare as text.
 */
function hasSearchValue(
  entity: Entity,
  path: string,
  value: string | undefined,
): boolean {
  const found = readSearchValues(entity, path.split('.'));
  return value === undefined
    ? found.length > 0
    : found.some(item => equalsIgnoringCase(item, value));
}

function readSearchValues(node: unknown, segments: string[]): string[] {
  if (Array.isArray(node)) {
    // The index also gives each string item `x` the row `<path>.x` = true.
    const rest = segments.join('.');
    const flagged = node.some(
      item => typeof item === 'string' && equalsIgnoringCase(item, rest),
    );
    return [
      ...(flagged && segments.length > 0 ? ['true'] : []),
      ...node.flatMap(item => readSearchValues(item, segments)),
    ];
  }
  if (segments.length === 0) {
    return typeof node === 'string' ||
      typeof node === 'number' ||
      typeof node === 'boolean'
      ? [String(node)]
      : [];
  }
  if (typeof node !== 'object' || node === null) {
    return [];
  }
  // Keys may themselves hold dots (annotations such as
  // 'backstage.io/source-location'), so the longest matching key wins.
  for (let length = segments.length; length > 0; length -= 1) {
    const key = segments.slice(0, length).join('.');
    const match = Object.keys(node).find(k => equalsIgnoringCase(k, key));
    if (match !== undefined) {
      return readSearchValues(
        (node as Record<string, unknown>)[match],
        segments.slice(length),
      );
    }
  }
  return [];
}
