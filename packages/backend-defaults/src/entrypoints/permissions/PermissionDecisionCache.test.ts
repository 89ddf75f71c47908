import { mockCredentials } from '@plinth/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
  type EvaluatePermissionRequest,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';
import { PermissionDecisionCache } from './PermissionDecisionCache';

const read = createPermission({
  name: 'todo.item.read',
  attributes: { action: 'read' },
  resourceType: 'todo-item',
});
const jane = mockCredentials.user('user:default/jane');
const joe = mockCredentials.user('user:default/joe');

describe('PermissionDecisionCache', () => {
  let now = 0;
  let calls: EvaluatePermissionRequest[][];
  const fetchAll = async (missing: EvaluatePermissionRequest[]) => {
    calls.push(missing);
    return missing.map((): PolicyDecision => ({
      result: AuthorizeResult.ALLOW,
    }));
  };
  const create = (ttlMs = 1000, maxEntries = 100) =>
    new PermissionDecisionCache({ ttlMs, maxEntries, now: () => now });

  beforeEach(() => {
    now = 0;
    calls = [];
  });

  it('asks only for the requests it has no recent decision for, in one batch', async () => {
    const cache = create();
    const scope = { credentials: jane, conditional: false };
    await cache.decide(
      [{ permission: read, resourceRef: 'todo:1' }],
      scope,
      fetchAll,
    );
    await expect(
      cache.decide(
        [
          { permission: read, resourceRef: 'todo:1' },
          { permission: read, resourceRef: 'todo:2' },
          { permission: read, resourceRef: 'todo:3' },
        ],
        scope,
        fetchAll,
      ),
    ).resolves.toEqual([
      { result: 'ALLOW' },
      { result: 'ALLOW' },
      { result: 'ALLOW' },
    ]);
    expect(calls.map(c => c.map(r => r.resourceRef))).toEqual([
      ['todo:1'],
      ['todo:2', 'todo:3'],
    ]);
  });

  it('keeps decisions apart per caller and per kind of question', async () => {
    const cache = create();
    const request = [{ permission: read }];
    await cache.decide(
      request,
      { credentials: jane, conditional: true },
      fetchAll,
    );
    await cache.decide(
      request,
      { credentials: joe, conditional: true },
      fetchAll,
    );
    await cache.decide(
      request,
      { credentials: jane, conditional: false },
      fetchAll,
    );
    await cache.decide(
      request,
      { credentials: jane, conditional: true },
      fetchAll,
    );
    expect(calls).toHaveLength(3);
  });

  it('asks again once a decision is older than the ttl', async () => {
    const cache = create(1000);
    const scope = { credentials: jane, conditional: true };
    await cache.decide([{ permission: read }], scope, fetchAll);
    now = 999;
    await cache.decide([{ permission: read }], scope, fetchAll);
    now = 1000;
    await cache.decide([{ permission: read }], scope, fetchAll);
    expect(calls).toHaveLength(2);
  });

  it('shares one call among identical requests made while it is on its way', async () => {
    const cache = create();
    const scope = { credentials: jane, conditional: true };
    const both = await Promise.all([
      cache.decide([{ permission: read }], scope, fetchAll),
      cache.decide([{ permission: read }], scope, fetchAll),
    ]);
    expect(both).toEqual([[{ result: 'ALLOW' }], [{ result: 'ALLOW' }]]);
    expect(calls).toHaveLength(1);
  });

  it('keeps no failure', async () => {
    const cache = create();
    const scope = { credentials: jane, conditional: true };
    const failing = async () => {
      throw new Error('unavailable');
    };
    await expect(
      cache.decide([{ permission: read }], scope, failing),
    ).rejects.toThrow('unavailable');
    await cache.decide([{ permission: read }], scope, fetchAll);
    expect(calls).toHaveLength(1);
  });

  it('forgets the oldest decisions beyond its size', async () => {
    const cache = create(1000, 2);
    const scope = { credentials: jane, conditional: false };
    for (const ref of ['todo:1', 'todo:2', 'todo:3', 'todo:1']) {
      await cache.decide(
        [{ permission: read, resourceRef: ref }],
        scope,
        fetchAll,
      );
    }
    expect(calls).toHaveLength(4);
  });

  it('keeps nothing with a ttl of 0', async () => {
    const cache = create(0);
    const scope = { credentials: jane, conditional: true };
    await cache.decide([{ permission: read }], scope, fetchAll);
    await cache.decide([{ permission: read }], scope, fetchAll);
    expect(calls).toHaveLength(2);
  });
});
