import type { AuthService } from '@plinth/backend-plugin-api';
import { mockCredentials } from '@plinth/backend-test-utils';
import { UserTokenCache } from './UserTokenCache';

const hour = 3_600_000;

function create(options: { maxEntries?: number } = {}) {
  const signed: Array<{ onBehalfOf: unknown; targetPluginId: string }> = [];
  let failNext = false;
  const auth = {
    async getPluginRequestToken(request: {
      onBehalfOf: unknown;
      targetPluginId: string;
    }) {
      if (failNext) {
        failNext = false;
        throw new Error('keyring unavailable');
      }
      signed.push(request);
      return { token: `token-${signed.length}` };
    },
  } as unknown as AuthService;
  const cache = new UserTokenCache({
    auth,
    targetPluginId: 'catalog',
    maxAgeMs: 60_000,
    ...options,
  });
  return { cache, signed, failOnce: () => (failNext = true) };
}

function user(ref: string, expiresInMs = hour) {
  return {
    credentials: {
      ...mockCredentials.user(ref),
      expiresAt: new Date(Date.now() + expiresInMs),
    },
    info: { userEntityRef: ref, ownershipEntityRefs: [ref] },
  };
}

describe('UserTokenCache', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-06T12:00:00Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('signs one token on behalf of a user for the target plugin and reuses it while it is younger than maxAgeMs', async () => {
    const { cache, signed } = create();
    const jane = user('user:default/jane');
    const first = await cache.getToken(jane.credentials, jane.info);
    jest.advanceTimersByTime(59_999);
    // New credentials of the same token, as each request of the user has.
    const again = { ...jane.credentials };
    await expect(cache.getToken(again, jane.info)).resolves.toBe(first);
    jest.advanceTimersByTime(1);
    await expect(cache.getToken(again, jane.info)).resolves.toBe('token-2');
    expect(signed).toEqual([
      { onBehalfOf: jane.credentials, targetPluginId: 'catalog' },
      { onBehalfOf: again, targetPluginId: 'catalog' },
    ]);
  });

  it('signs apart for another user, other ownership refs or another expiry', async () => {
    const { cache } = create();
    const jane = user('user:default/jane');
    const tokens = [
      await cache.getToken(jane.credentials, jane.info),
      await cache.getToken(
        user('user:default/john').credentials,
        user('user:default/john').info,
      ),
      await cache.getToken(jane.credentials, {
        ...jane.info,
        ownershipEntityRefs: ['user:default/jane', 'group:default/team'],
      }),
      await cache.getToken(
        user('user:default/jane', 2 * hour).credentials,
        jane.info,
      ),
    ];
    expect(tokens).toEqual(['token-1', 'token-2', 'token-3', 'token-4']);
  });

  it('signs afresh for credentials that expire within twice maxAgeMs, so no token outlives its use', async () => {
    const { cache } = create();
    const jane = user('user:default/jane', 119_999);
    await cache.getToken(jane.credentials, jane.info);
    await expect(cache.getToken(jane.credentials, jane.info)).resolves.toBe(
      'token-2',
    );
  });

  it('forgets the oldest user when it keeps maxEntries', async () => {
    const { cache } = create({ maxEntries: 2 });
    const [jane, john, jill] = ['jane', 'john', 'jill'].map(name =>
      user(`user:default/${name}`),
    );
    for (const u of [jane, john, jill]) {
      await cache.getToken(u.credentials, u.info);
    }
    await expect(cache.getToken(jill.credentials, jill.info)).resolves.toBe(
      'token-3',
    );
    await expect(cache.getToken(jane.credentials, jane.info)).resolves.toBe(
      'token-4',
    );
  });

  it('passes on a failed signature and signs again next time', async () => {
    const { cache, failOnce } = create();
    const jane = user('user:default/jane');
    failOnce();
    await expect(cache.getToken(jane.credentials, jane.info)).rejects.toThrow(
      'keyring unavailable',
    );
    await expect(cache.getToken(jane.credentials, jane.info)).resolves.toBe(
      'token-1',
    );
  });
});
