import {
  createJsonBodyParser,
  type AuthService,
  type HttpAuthService,
  type RootConfigService,
} from '@plinth/backend-plugin-api';
import { describeValue, InputError, NotAllowedError } from '@plinth/errors';
import {
  AuthorizeResult,
  findPermissionCriteriaProblem,
  findPermissionRuleParamsProblem,
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
  type ApplyConditionsRequestEntry,
  type ApplyConditionsResponse,
  type PermissionCondition,
  type PermissionCriteria,
} from '@plinth/plugin-permission-common';
import express, { type Router } from 'express';
import type { DefaultPermissionsRegistryService } from './DefaultPermissionsRegistryService';
import type { RegisteredRule } from './ruleParams';

const basePath = '/.well-known/backstage/permissions';

/**
 * The routes the permission backend calls on a plugin: `GET metadata`
 * and `POST apply-conditions`, below `/.well-known/backstage/permissions/`.
 * Both sit behind the plugin router's credentials barrier; applying
 * conditions also refuses a user who calls directly rather than through
 * a service, as Backstage does.
 */
export function createPermissionIntegrationRouter(options: {
  pluginId: string;
  auth: AuthService;
  httpAuth: HttpAuthService;
  registry: DefaultPermissionsRegistryService;
  config?: RootConfigService;
}): Router {
  const { pluginId, auth, httpAuth, registry, config } = options;
  const router = express.Router();
  // The platform parses no bodies; like every plugin route, this one
  // parses its own, behind the credentials barrier.
  router.use(basePath, createJsonBodyParser({ config }));
  router.get(`${basePath}/metadata`, (_req, res) => {
    res.json(registry.getMetadata());
  });
  router.post(`${basePath}/apply-conditions`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (auth.isPrincipal(credentials, 'user') && !credentials.principal.actor) {
      throw new NotAllowedError(
        `Applying permission conditions of plugin '${pluginId}' is for the permission backend; a user may only call it through a service, not directly.`,
      );
    }
    const items = parseApplyConditionsRequest(req.body);
    const response: ApplyConditionsResponse = {
      items: await applyConditionsWithRegistry(items, registry, pluginId),
    };
    res.json(response);
  });
  return router;
}

/**
 * Checks the items against what the plugin registered and answers each,
 * as the apply-conditions route does; the permissions service calls it
 * in-process for conditions on the plugin's own resources.
 *
 * @throws {@link @plinth/errors#InputError} listing every item that names
 *   an unknown resource type or rule, or parameters a rule refuses.
 */
export async function applyConditionsWithRegistry(
  items: ApplyConditionsRequestEntry[],
  registry: DefaultPermissionsRegistryService,
  pluginId: string,
): Promise<ApplyConditionsResponse['items']> {
  assertConditionsApply(items, registry);
  return applyConditions(items, registry, pluginId);
}

/**
 * Reads `{ items: [{ id, resourceRef, resourceType, conditions }] }`.
 *
 * @throws {@link @plinth/errors#InputError} naming every item that is not
 *   valid, one per line.
 */
function parseApplyConditionsRequest(
  body: unknown,
): ApplyConditionsRequestEntry[] {
  const items = (body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) {
    throw new InputError(
      `Invalid apply-conditions request: expected a JSON body { items: [{ id, resourceRef, resourceType, conditions }] }, got ${describeValue(body)}.`,
    );
  }
  const problems = items.flatMap((item, index) => {
    const problem = findItemProblem(item, `items[${index}]`);
    return problem ? [problem] : [];
  });
  throwProblems('Invalid apply-conditions request', problems);
  return items as ApplyConditionsRequestEntry[];
}

function findItemProblem(item: unknown, at: string): string | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return `${at} must be an object, got ${describeValue(item)}`;
  }
  const { id, resourceRef, resourceType, conditions } = item as Record<
    string,
    unknown
  >;
  if (typeof id !== 'string') {
    return `${at}.id must be a string, got ${describeValue(id)}`;
  }
  if (typeof resourceType !== 'string') {
    return `${at}.resourceType must be a string, got ${describeValue(resourceType)}`;
  }
  const refsValid =
    typeof resourceRef === 'string' ||
    (Array.isArray(resourceRef) &&
      resourceRef.length > 0 &&
      resourceRef.every(ref => typeof ref === 'string'));
  if (!refsValid) {
    return `${at}.resourceRef must be a string or a non-empty array of strings, got ${Array.isArray(resourceRef) && resourceRef.length === 0 ? 'an empty array' : describeValue(resourceRef)}`;
  }
  return findPermissionCriteriaProblem(conditions, `${at}.conditions`);
}

/**
 * Checks every item against what the plugin registered: its resource type,
 * and in its conditions each condition's resource type, rule and
 * parameters.
 *
 * @throws {@link @plinth/errors#InputError} listing every problem.
 */
function assertConditionsApply(
  items: ApplyConditionsRequestEntry[],
  registry: DefaultPermissionsRegistryService,
): void {
  const problems: string[] = [];
  for (const [index, item] of items.entries()) {
    const at = `items[${index}]`;
    const type = registry.findResourceType(item.resourceType);
    if (!type) {
      problems.push(
        `${at}.resourceType '${item.resourceType}' is not a resource type of this plugin`,
      );
      continue;
    }
    if (!type.getResources) {
      problems.push(
        `${at}: resource type '${item.resourceType}' was registered without getResources, so its resources cannot be loaded to apply conditions`,
      );
    }
    for (const [path, condition] of listConditions(
      item.conditions,
      `${at}.conditions`,
    )) {
      if (condition.resourceType !== item.resourceType) {
        problems.push(
          `${path} is for resource type '${condition.resourceType}', but the item is for '${item.resourceType}'`,
        );
        continue;
      }
      const rule = registry.findRule(item.resourceType, condition.rule);
      if (!rule) {
        problems.push(
          // The sentence's own full stop would double the list's.
          `${path}: ${registry.describeUnknownRule(item.resourceType, condition.rule).replace(/\.$/, '')}`,
        );
        continue;
      }
      const paramsProblem = findPermissionRuleParamsProblem(
        rule,
        condition.params,
      );
      if (paramsProblem) {
        problems.push(
          `${path}.params are invalid for rule '${rule.name}': ${paramsProblem}`,
        );
      }
    }
  }
  throwProblems('Cannot apply permission conditions', problems);
}

/** Every condition in criteria, with where it sits. */
function* listConditions(
  criteria: PermissionCriteria<PermissionCondition>,
  at: string,
): Generator<[string, PermissionCondition]> {
  if (isAndCriteria(criteria)) {
    for (const [i, child] of criteria.allOf.entries()) {
      yield* listConditions(child, `${at}.allOf[${i}]`);
    }
  } else if (isOrCriteria(criteria)) {
    for (const [i, child] of criteria.anyOf.entries()) {
      yield* listConditions(child, `${at}.anyOf[${i}]`);
    }
  } else if (isNotCriteria(criteria)) {
    yield* listConditions(criteria.not, `${at}.not`);
  } else {
    yield [at, criteria];
  }
}

/**
 * Loads each resource type's resources once, with every ref asked for,
 * and answers each item: ALLOW when the resource exists and meets the
 * conditions, else DENY; one answer per ref for an array of refs.
 */
async function applyConditions(
  items: ApplyConditionsRequestEntry[],
  registry: DefaultPermissionsRegistryService,
  pluginId: string,
): Promise<ApplyConditionsResponse['items']> {
  const resources = new Map<string, Map<string, unknown>>();
  for (const resourceType of new Set(items.map(i => i.resourceType))) {
    const refs = [
      ...new Set(
        items
          .filter(i => i.resourceType === resourceType)
          .flatMap(i => [i.resourceRef].flat()),
      ),
    ];
    const loaded =
      await registry.findResourceType(resourceType)!.getResources!(refs);
    if (!Array.isArray(loaded) || loaded.length !== refs.length) {
      throw new Error(
        `getResources() of resource type '${resourceType}' in plugin '${pluginId}' returned ${describeValue(loaded)} for ${refs.length} ref(s); return one resource or undefined per ref, in order.`,
      );
    }
    resources.set(
      resourceType,
      new Map(refs.map((ref, i) => [ref, loaded[i]])),
    );
  }
  const decide = (item: ApplyConditionsRequestEntry, ref: string) => {
    const resource = resources.get(item.resourceType)?.get(ref);
    const allowed =
      resource !== undefined &&
      meets(item.conditions, resource, name =>
        registry.findRule(item.resourceType, name)!,
      );
    return allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
  };
  return items.map(item =>
    Array.isArray(item.resourceRef)
      ? { id: item.id, result: item.resourceRef.map(ref => decide(item, ref)) }
      : { id: item.id, result: decide(item, item.resourceRef) },
  );
}

function meets(
  criteria: PermissionCriteria<PermissionCondition>,
  resource: unknown,
  ruleOf: (name: string) => RegisteredRule,
): boolean {
  if (isAndCriteria(criteria)) {
    return criteria.allOf.every(c => meets(c, resource, ruleOf));
  }
  if (isOrCriteria(criteria)) {
    return criteria.anyOf.some(c => meets(c, resource, ruleOf));
  }
  if (isNotCriteria(criteria)) {
    return !meets(criteria.not, resource, ruleOf);
  }
  return ruleOf(criteria.rule).apply(resource, criteria.params ?? {});
}

function throwProblems(what: string, problems: string[]): void {
  if (problems.length === 1) {
    throw new InputError(`${what}: ${problems[0]}.`);
  }
  if (problems.length > 1) {
    throw new InputError(
      `${what}: found ${problems.length} problems:\n${problems.map(p => `  - ${p}`).join('\n')}`,
    );
  }
}
