import type { PermissionConditionsApplier } from '@plinth/backend-plugin-api/alpha';
import { mockCredentials, mockServices } from '@plinth/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
  type ApplyConditionsRequestEntry,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@plinth/plugin-permission-node';
import type { PermissionIntegrationClient } from './PermissionIntegrationClient';
import { PolicyEvaluator } from './PolicyEvaluator';

const itemCreate = createPermission({
  name: 'todo.item.create',
  attributes: { action: 'create' },
});
const itemRead = createPermission({
  name: 'todo.item.read',
  attributes: { action: 'read' },
  resourceType: 'todo-item',
});
const listRead = createPermission({
  name: 'todo.list.read',
  attributes: { action: 'read' },
  resourceType: 'todo-list',
});
const isOwner = {
  rule: 'IS_OWNER',
  resourceType: 'todo-item',
  params: { owners: ['user:default/jane'] },
};

describe('PolicyEvaluator', () => {
  it('decides a service principal by its access restrictions without asking the policy', async () => {
    const { evaluator, asked } = create(async () => ({
      result: AuthorizeResult.DENY,
    }));
    const ci = mockCredentials.service('external:ci', {
      permissionAttributes: { action: ['read'] },
    });
    await expect(
      evaluator.evaluate(
        [
          { permission: itemCreate },
          { permission: itemRead, resourceRef: 'todo:1' },
        ],
        {
          credentials: ci,
        },
      ),
    ).resolves.toEqual([{ result: 'DENY' }, { result: 'ALLOW' }]);
    expect(asked).toEqual([]);
  });

  it('allows everything without a policy', async () => {
    const { evaluator } = create(undefined);
    await expect(
      evaluator.evaluate([{ permission: itemCreate }], {
        credentials: mockCredentials.user(),
      }),
    ).resolves.toEqual([{ result: 'ALLOW' }]);
  });

  it('gives the policy the user with their info, a token and its expiry', async () => {
    const { evaluator, asked } = create(async () => ({
      result: AuthorizeResult.ALLOW,
    }));
    const jane = {
      ...mockCredentials.user('user:default/jane'),
      expiresAt: new Date(Date.now() + 60_000),
    };
    await evaluator.evaluate([{ permission: itemCreate }], {
      credentials: jane,
    });
    expect(asked).toEqual([
      {
        query: { permission: itemCreate },
        user: {
          credentials: jane,
          info: {
            userEntityRef: 'user:default/jane',
            ownershipEntityRefs: ['user:default/jane', 'group:default/team'],
          },
          token: expect.stringMatching(/^mock-service-token/),
          expiresInSeconds: expect.any(Number),
        },
      },
    ]);
    expect(asked[0].user!.expiresInSeconds).toBeLessThanOrEqual(60);
  });

  it('asks the policy without a user for a caller without credentials', async () => {
    const { evaluator, asked } = create(async () => ({
      result: AuthorizeResult.DENY,
    }));
    await expect(
      evaluator.evaluate([{ permission: itemCreate }], {
        credentials: mockCredentials.none(),
      }),
    ).resolves.toEqual([{ result: 'DENY' }]);
    expect(asked).toEqual([
      { query: { permission: itemCreate }, user: undefined },
    ]);
  });

  it('returns a conditional decision for a request without a resource', async () => {
    const conditional = {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'todo',
      resourceType: 'todo-item',
      conditions: isOwner,
    };
    const { evaluator, applied } = create(async () => conditional);
    await expect(
      evaluator.evaluate([{ permission: itemRead }], {
        credentials: mockCredentials.user(),
      }),
    ).resolves.toEqual([conditional]);
    expect(applied).toEqual([]);
  });

  it('applies the conditions for named resources with one call per owning plugin', async () => {
    const { evaluator, applied } = create(async query => ({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: query.permission.name === 'todo.list.read' ? 'lists' : 'todo',
      resourceType:
        query.permission.name === 'todo.list.read' ? 'todo-list' : 'todo-item',
      conditions: isOwner,
    }));
    await expect(
      evaluator.evaluate(
        [
          { permission: itemRead, resourceRef: 'todo:1' },
          { permission: listRead, resourceRef: 'list:1' },
          { permission: itemCreate },
          { permission: itemRead, resourceRef: 'todo:2' },
        ],
        { credentials: mockCredentials.user() },
      ),
    ).rejects.toThrow(
      "The permission policy answered permission 'todo.item.create' with an invalid decision: it is CONDITIONAL, but the permission is a basic one and has no resources to apply conditions to. Fix the policy; the request is not decided.",
    );
    expect(applied).toEqual([]);

    const decisions = await evaluator.evaluate(
      [
        { permission: itemRead, resourceRef: 'todo:1' },
        { permission: listRead, resourceRef: 'list:1' },
        { permission: itemRead, resourceRef: 'todo:2' },
      ],
      { credentials: mockCredentials.user() },
    );
    expect(decisions).toEqual([
      { result: 'ALLOW' },
      { result: 'DENY' },
      { result: 'DENY' },
    ]);
    expect(
      applied.map(a => [a.pluginId, a.entries.map(e => e.resourceRef)]),
    ).toEqual([
      ['todo', ['todo:1', 'todo:2']],
      ['lists', ['list:1']],
    ]);
  });

  it('answers a list of resourceRefs with one result per resource, asking the policy once', async () => {
    const { evaluator, asked, applied } = create(async query =>
      query.permission.name === 'todo.list.read'
        ? { result: AuthorizeResult.DENY }
        : {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'todo',
            resourceType: 'todo-item',
            conditions: isOwner,
          },
    );
    await expect(
      evaluator.evaluateBatched(
        [
          { permission: itemRead, resourceRef: ['todo:1', 'todo:2', 'todo:3'] },
          { permission: listRead, resourceRef: ['list:1', 'list:2'] },
          { permission: itemRead, resourceRef: 'todo:4' },
        ],
        { credentials: mockCredentials.user() },
      ),
    ).resolves.toEqual([
      { result: ['ALLOW', 'DENY', 'DENY'] },
      { result: ['DENY', 'DENY'] },
      { result: 'DENY' },
    ]);
    expect(asked).toHaveLength(3);
    expect(
      applied.map(a => [a.pluginId, a.entries.map(e => e.resourceRef)]),
    ).toEqual([['todo', ['todo:1', 'todo:2', 'todo:3', 'todo:4']]]);
  });

  it('answers a list of resourceRefs of a service principal from its access restrictions', async () => {
    const { evaluator } = create(undefined);
    const ci = mockCredentials.service('external:ci', {
      permissionNames: ['todo.item.read'],
    });
    await expect(
      evaluator.evaluateBatched(
        [
          { permission: itemRead, resourceRef: ['todo:1', 'todo:2'] },
          { permission: listRead, resourceRef: ['list:1'] },
        ],
        { credentials: ci },
      ),
    ).resolves.toEqual([{ result: ['ALLOW', 'ALLOW'] }, { result: ['DENY'] }]);
  });

  it('applies conditions in-process for a plugin of this backend', async () => {
    const applied: string[] = [];
    const { evaluator, applied: overHttp } = create(
      async () => ({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'todo',
        resourceType: 'todo-item',
        conditions: isOwner,
      }),
      async entries => {
        applied.push(...entries.map(e => [e.resourceRef].flat().join()));
        return entries.map(() => ({ result: AuthorizeResult.ALLOW }));
      },
    );
    await expect(
      evaluator.evaluate(
        [
          { permission: itemRead, resourceRef: 'todo:1' },
          { permission: itemRead, resourceRef: 'todo:2' },
        ],
        { credentials: mockCredentials.user() },
      ),
    ).resolves.toEqual([{ result: 'ALLOW' }, { result: 'ALLOW' }]);
    expect(applied).toEqual(['todo:1', 'todo:2']);
    expect(overHttp).toEqual([]);
  });

  it('fails with APPLY_CONDITIONS_FAILED when a plugin of this backend cannot apply them', async () => {
    const { evaluator } = create(
      async () => ({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'todo',
        resourceType: 'todo-item',
        conditions: isOwner,
      }),
      async () => {
        throw new Error('unknown rule');
      },
    );
    await expect(
      evaluator.evaluate([{ permission: itemRead, resourceRef: 'todo:1' }], {
        credentials: mockCredentials.user(),
      }),
    ).rejects.toMatchObject({
      code: 'APPLY_CONDITIONS_FAILED',
      message:
        "Could not apply permission conditions in-process in plugin 'todo'. A policy's conditional decision for a resource is resolved by the plugin that owns it; see the cause.",
    });
  });

  it('refuses a conditional decision for another resource type', async () => {
    const { evaluator } = create(async () => ({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'todo',
      resourceType: 'todo-list',
      conditions: isOwner,
    }));
    await expect(
      evaluator.evaluate([{ permission: itemRead }], {
        credentials: mockCredentials.user(),
      }),
    ).rejects.toThrow(
      "The permission policy answered permission 'todo.item.read' with an invalid decision: its conditions are for resource type 'todo-list', but the permission is for 'todo-item'. Fix the policy; the request is not decided.",
    );
  });

  it('refuses an answer that is no decision', async () => {
    const { evaluator } = create(async () => ({ result: 'MAYBE' }) as never);
    await expect(
      evaluator.evaluate([{ permission: itemCreate }], {
        credentials: mockCredentials.user(),
      }),
    ).rejects.toMatchObject({
      name: 'PermissionBackendError',
      code: 'POLICY_DECISION_INVALID',
      message:
        "The permission policy answered permission 'todo.item.create' with an invalid decision: the decision.result must be 'ALLOW', 'DENY' or 'CONDITIONAL', got the string 'MAYBE'. Fix the policy; the request is not decided.",
    });
  });
});

function create(
  handle: ((query: PolicyQuery) => Promise<PolicyDecision>) | undefined,
  todoApplier?: PermissionConditionsApplier,
) {
  const asked: Array<{ query: PolicyQuery; user?: PolicyQueryUser }> = [];
  const applied: Array<{
    pluginId: string;
    entries: ApplyConditionsRequestEntry[];
  }> = [];
  const policy: PermissionPolicy | undefined = handle && {
    async handle(query, user) {
      asked.push({ query, user });
      return handle(query);
    },
  };
  // Allows the first named resource of each call, denies the rest.
  const integrationClient = {
    async applyConditions(
      pluginId: string,
      _credentials: unknown,
      entries: ApplyConditionsRequestEntry[],
    ) {
      applied.push({ pluginId, entries });
      return entries.map((_, i) => ({
        result:
          i === 0 && pluginId === 'todo'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    },
  } as unknown as PermissionIntegrationClient;
  const evaluator = new PolicyEvaluator({
    policy,
    auth: mockServices.auth({ pluginId: 'permission' }),
    userInfo: mockServices.userInfo({
      ownership: { 'user:default/jane': ['group:default/team'] },
    }),
    integrationClient,
    wiring: {
      getConditionsApplier: pluginId =>
        pluginId === 'todo' ? todoApplier : undefined,
    },
  });
  return { evaluator, asked, applied };
}
