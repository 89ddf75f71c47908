import { describeValue, InputError } from '@plinth/errors';
import type {
  EvaluatePermissionRequestBatch,
  IdentifiedPermissionMessage,
  EvaluatePermissionRequest,
} from '@plinth/plugin-permission-common';

const actions = ['create', 'read', 'update', 'delete'];

/**
 * Reads the body of `POST /authorize`, Backstage's
 * `EvaluatePermissionRequestBatch`:
 * `{ items: [{ id, permission: { type, name, attributes, resourceType? }, resourceRef? }] }`.
 * Unknown keys are ignored, as Backstage's schema strips them.
 *
 * @throws {@link @plinth/errors#InputError} naming every problem, one per
 *   line, with where it sits (`items[2].permission.type`).
 */
export function parseAuthorizeRequest(
  body: unknown,
): EvaluatePermissionRequestBatch['items'] {
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
  if (problems.length === 1) {
    throw new InputError(`Invalid authorize request: ${problems[0]}.`);
  }
  if (problems.length > 1) {
    throw new InputError(
      `Invalid authorize request: found ${problems.length} problems:\n${problems.map(p => `  - ${p}`).join('\n')}`,
    );
  }
  return parsed as EvaluatePermissionRequestBatch['items'];
}

type Item = {
  id: string;
  resourceRef?: string;
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
  if (item.resourceRef !== undefined && typeof item.resourceRef !== 'string') {
    problems.push(
      `${at}.resourceRef must be a string when given, got ${describeValue(item.resourceRef)}`,
    );
  }
  problems.push(...findPermissionProblems(item.permission, `${at}.permission`));
  return problems;
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
function toRequest(
  item: Item,
): IdentifiedPermissionMessage<EvaluatePermissionRequest> {
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
