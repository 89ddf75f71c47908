import { describeValue, InputError } from '@plinth/errors';
import type { IdentifiedPermissionMessage } from '@plinth/plugin-permission-common';
import type { BatchedEvaluateRequest } from '../PolicyEvaluator';

const actions = ['create', 'read', 'update', 'delete'];

/**
 * The most resources one item may list: each is looked up by the plugin
 * that owns it, so an unbounded list is an unbounded amount of work.
 */
export const MAX_RESOURCE_REFS_PER_ITEM = 1000;

/** The most resources one request may name, over all its items. */
export const MAX_RESOURCE_REFS_PER_REQUEST = 10000;

/** One item of the `authorize` route, as parsed. */
export type AuthorizeRequestItem =
  IdentifiedPermissionMessage<BatchedEvaluateRequest>;

/**
 * Reads the body of `POST /authorize`, Backstage's
 * `EvaluatePermissionRequestBatch`:
 * `{ items: [{ id, permission: { type, name, attributes, resourceType? }, resourceRef? }] }`,
 * where `resourceRef` is one ref or, in Backstage's batched requests, a
 * non-empty list of them (at most {@link MAX_RESOURCE_REFS_PER_ITEM} per
 * item and {@link MAX_RESOURCE_REFS_PER_REQUEST} per request).
 * Unknown keys are ignored, as Backstage's schema strips them.
 *
 * @throws {@link @plinth/errors#InputError} naming every problem, one per
 *   line, with where it sits (`items[2].permission.type`).
 */
export function parseAuthorizeRequest(body: unknown): AuthorizeRequestItem[] {
  const items = (body as { items?: unknown } | undefined)?.items;
  if (!isObject(body) || !Array.isArray(items)) {
    throw new InputError(
      `Invalid authorize request: expected a JSON body { items: [{ id, permission, resourceRef? }] }, got ${describeValue(body)}.`,
    );
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const parsed = items.map((item, index) => {
    const at = `items[${index}]`;
    const found = findItemProblems(item, at);
    problems.push(...found);
    const id = (item as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') {
      if (seen.has(id)) {
        problems.push(
          `${at}.id '${id}' is used by an earlier item; give each item its own id`,
        );
      }
      seen.add(id);
    }
    return found.length > 0 ? undefined : toRequest(item as Item);
  });
  const refCount = items.reduce<number>((sum, item) => {
    const ref = (item as { resourceRef?: unknown } | undefined)?.resourceRef;
    return sum + (Array.isArray(ref) ? ref.length : ref === undefined ? 0 : 1);
  }, 0);
  if (refCount > MAX_RESOURCE_REFS_PER_REQUEST) {
    problems.push(
      `the items name ${refCount} resources in all, more than the ${MAX_RESOURCE_REFS_PER_REQUEST} one request may name; send them in several requests`,
    );
  }
  if (problems.length === 1) {
    throw new InputError(`Invalid authorize request: ${problems[0]}.`);
  }
  if (problems.length > 1) {
    throw new InputError(
      `Invalid authorize request: found ${problems.length} problems:\n${problems.map(p => `  - ${p}`).join('\n')}`,
    );
  }
  return parsed as AuthorizeRequestItem[];
}

type Item = {
  id: string;
  resourceRef?: string | string[];
  permission: {
    type: 'basic' | 'resource';
    name: string;
    attributes: { action?: string };
    resourceType?: string;
  };
};

function findItemProblems(item: unknown, at: string): string[] {
  if (!isObject(item)) {
    return [`${at} must be an object, got ${describeValue(item)}`];
  }
  const problems: string[] = [];
  if (typeof item.id !== 'string' || item.id === '') {
    problems.push(
      `${at}.id must be a non-empty string, got ${describeValue(item.id)}`,
    );
  }
  problems.push(
    ...findResourceRefProblems(item.resourceRef, `${at}.resourceRef`),
  );
  problems.push(...findPermissionProblems(item.permission, `${at}.permission`));
  return problems;
}

/** One ref, or a non-empty, bounded list of them. */
function findResourceRefProblems(resourceRef: unknown, at: string): string[] {
  if (resourceRef === undefined || typeof resourceRef === 'string') {
    return [];
  }
  if (!Array.isArray(resourceRef)) {
    return [
      `${at} must be a string or a list of strings when given, got ${describeValue(resourceRef)}`,
    ];
  }
  if (resourceRef.length === 0) {
    return [
      `${at} must list at least one resource when it is a list; leave it out to ask without a resource`,
    ];
  }
  if (resourceRef.length > MAX_RESOURCE_REFS_PER_ITEM) {
    return [
      `${at} lists ${resourceRef.length} resources, more than the ${MAX_RESOURCE_REFS_PER_ITEM} one item may list; split them over several items or requests`,
    ];
  }
  const index = resourceRef.findIndex(ref => typeof ref !== 'string');
  return index === -1
    ? []
    : [
        `${at}[${index}] must be a string, got ${describeValue(resourceRef[index])}`,
      ];
}

function findPermissionProblems(permission: unknown, at: string): string[] {
  if (!isObject(permission)) {
    return [`${at} must be an object, got ${describeValue(permission)}`];
  }
  const problems: string[] = [];
  const { type, name, attributes, resourceType } = permission;
  if (type !== 'basic' && type !== 'resource') {
    problems.push(
      `${at}.type must be 'basic' or 'resource', got ${describeValue(type)}`,
    );
  }
  if (typeof name !== 'string' || name === '') {
    problems.push(
      `${at}.name must be a non-empty string, got ${describeValue(name)}`,
    );
  }
  if (!isObject(attributes)) {
    problems.push(
      `${at}.attributes must be an object, got ${describeValue(attributes)}`,
    );
  } else if (
    attributes.action !== undefined &&
    !actions.includes(attributes.action as string)
  ) {
    problems.push(
      `${at}.attributes.action must be 'create', 'read', 'update' or 'delete' when given, got ${describeValue(attributes.action)}`,
    );
  }
  if (
    type === 'resource' &&
    (typeof resourceType !== 'string' || resourceType === '')
  ) {
    problems.push(
      `${at}.resourceType must be a non-empty string for a resource permission, got ${describeValue(resourceType)}`,
    );
  }
  return problems;
}

/** Keeps only the keys Backstage's schema keeps. */
function toRequest(item: Item): AuthorizeRequestItem {
  const { type, name, attributes, resourceType } = item.permission;
  const action = attributes.action as
    'create' | 'read' | 'update' | 'delete' | undefined;
  const permission =
    type === 'resource'
      ? {
          type,
          name,
          attributes: action ? { action } : {},
          resourceType: resourceType!,
        }
      : { type, name, attributes: action ? { action } : {} };
  return {
    id: item.id,
    permission,
    ...(item.resourceRef === undefined
      ? {}
      : { resourceRef: item.resourceRef }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
