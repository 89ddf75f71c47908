import { createHash } from 'node:crypto';
import { TestDatabases } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import type { AuditorEvent } from '../auditor/AuditorSink';
import { API_TOKENS_TABLE, ApiTokensStore } from './ApiTokensStore';
import {
  API_TOKEN_CACHE_MS,
  DefaultApiTokensService,
} from './DefaultApiTokensService';

const databases = TestDatabases.create();
const day = 86_400_000;

function createService(knex: Knex, events: AuditorEvent[] = []) {
  return DefaultApiTokensService.create({
    openStore: () => ApiTokensStore.open(knex),
    sinks: [{ write: event => void events.push(event) }],
    maxLifetimeMs: 90 * day,
  });
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe.each(databases.eachSupportedId())(
  'DefaultApiTokensService on %s',
  id => {
    it('shows the secret once and stores only its SHA-256 digest', async () => {
      const knex = await databases.init(id);
      const tokens = createService(knex);
      const { token, secret } = await tokens.create({
        name: 'ci',
        scopes: { pluginIds: ['catalog'], readOnly: true },
        createdBy: 'user:default/admin',
      });

      expect(secret).toMatch(/^plinth_pat_[\w-]{43}$/);
      expect(token).toEqual({
        name: 'ci',
        scopes: { pluginIds: ['catalog'], readOnly: true },
        createdBy: 'user:default/admin',
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
      });
      const rows = await knex(API_TOKENS_TABLE).select();
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(JSON.stringify(rows)).not.toContain(secret.slice(11));
      expect(rows[0].token_hash).toBe(
        createHash('sha256').update(secret).digest('hex'),
      );
      expect(JSON.stringify(await tokens.list())).not.toContain(secret);
      expect(await tokens.get('ci')).toEqual(token);
    });

    it('gives a token without an expiry the longest lifetime allowed', async () => {
      const tokens = createService(await databases.init(id));
      jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-01-01'));
      const { token } = await tokens.create({ name: 'ci', createdBy: 'u' });
      expect(token.expiresAt).toBe('2026-04-01T00:00:00.000Z');
    });

    it('authenticates a token as a service principal restricted by its scopes', async () => {
      const tokens = createService(await databases.init(id));
      const { secret } = await tokens.create({
        name: 'ci',
        scopes: {
          pluginIds: ['catalog'],
          permissionNames: ['catalog.entity.read'],
          readOnly: true,
        },
        createdBy: 'user:default/admin',
      });
      const { secret: unscoped } = await tokens.create({
        name: 'all',
        createdBy: 'user:default/admin',
      });

      await expect(
        tokens.authenticate(secret, { pluginId: 'catalog' }),
      ).resolves.toEqual({
        type: 'service',
        subject: 'external:api-token:ci',
        accessRestrictions: {
          pluginIds: ['catalog'],
          permissionNames: ['catalog.entity.read'],
          permissionAttributes: { action: ['read'] },
        },
      });
      await expect(
        tokens.authenticate(unscoped, { pluginId: 'scaffolder' }),
      ).resolves.toEqual({
        type: 'service',
        subject: 'external:api-token:all',
      });
      expect((await tokens.get('ci')).lastUsedAt).toEqual(expect.any(String));
    });

    it('refuses a token outside its plugins with a 403 naming them', async () => {
      const tokens = createService(await databases.init(id));
      const { secret } = await tokens.create({
        name: 'ci',
        scopes: { pluginIds: ['catalog'] },
        createdBy: 'u',
      });
      await expect(
        tokens.authenticate(secret, { pluginId: 'scaffolder' }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "API token 'ci' may not call plugin 'scaffolder': its scope 'pluginIds' allows only 'catalog'. Create a token whose scopes include plugin 'scaffolder'.",
      });
    });

    it('refuses an expired token with a 401 naming when it expired', async () => {
      const knex = await databases.init(id);
      const tokens = createService(knex);
      const { secret } = await tokens.create({ name: 'ci', createdBy: 'u' });
      await knex(API_TOKENS_TABLE).update({
        expires_at: new Date('2026-01-02T03:04:05Z'),
      });
      await expect(
        tokens.authenticate(secret, { pluginId: 'catalog' }),
      ).rejects.toMatchObject({
        name: 'AuthenticationError',
        message:
          "API token 'ci' expired at 2026-01-02T03:04:05.000Z; create a new one with `yarn plinth token create`.",
      });
    });

    it('refuses a revoked token at once, naming when and by whom', async () => {
      const tokens = createService(await databases.init(id));
      const { secret } = await tokens.create({ name: 'ci', createdBy: 'u' });
      await tokens.authenticate(secret, { pluginId: 'catalog' });
      const revoked = await tokens.revoke('ci', {
        revokedBy: 'user:default/admin',
      });

      expect(revoked.revokedBy).toBe('user:default/admin');
      await expect(
        tokens.authenticate(secret, { pluginId: 'catalog' }),
      ).rejects.toMatchObject({
        name: 'AuthenticationError',
        message: `API token 'ci' was revoked at ${revoked.revokedAt} by 'user:default/admin'; create a new one with \`yarn plinth token create\`.`,
      });
      // Revoking again changes nothing.
      await expect(
        tokens.revoke('ci', { revokedBy: 'other' }),
      ).resolves.toEqual(revoked);
    });

    it('refuses a token revoked on another replica once its cache period has passed', async () => {
      const knex = await databases.init(id);
      const first = createService(knex);
      const second = createService(knex);
      const { secret } = await first.create({ name: 'ci', createdBy: 'u' });
      const now = Date.now();
      const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
      await second.authenticate(secret, { pluginId: 'catalog' });
      await first.revoke('ci', { revokedBy: 'u' });

      clock.mockReturnValue(now + API_TOKEN_CACHE_MS - 1);
      await expect(
        second.authenticate(secret, { pluginId: 'catalog' }),
      ).resolves.toMatchObject({ subject: 'external:api-token:ci' });
      clock.mockReturnValue(now + API_TOKEN_CACHE_MS);
      await expect(
        second.authenticate(secret, { pluginId: 'catalog' }),
      ).rejects.toMatchObject({ name: 'AuthenticationError' });
    });

    it('refuses an unknown token with a 401', async () => {
      const tokens = createService(await databases.init(id));
      await expect(
        tokens.authenticate('plinth_pat_unknown', { pluginId: 'catalog' }),
      ).rejects.toMatchObject({
        name: 'AuthenticationError',
        message:
          'Unknown API token: it matches no token of this backend, or one that was replaced; check the token, or create a new one with `yarn plinth token create`.',
      });
    });

    it('refuses a second active token of one name and reuses the name of a revoked one', async () => {
      const tokens = createService(await databases.init(id));
      const { token } = await tokens.create({ name: 'ci', createdBy: 'u' });
      await expect(
        tokens.create({ name: 'ci', createdBy: 'u' }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: `API token 'ci' exists and is active until ${token.expiresAt}; revoke it first with \`yarn plinth token revoke ci\`, or pick another name.`,
      });
      const { secret: old } = await tokens.create({
        name: 'old',
        createdBy: 'u',
      });
      await tokens.revoke('old', { revokedBy: 'u' });
      const { secret } = await tokens.create({ name: 'old', createdBy: 'u' });
      await expect(
        tokens.authenticate(secret, { pluginId: 'catalog' }),
      ).resolves.toMatchObject({ subject: 'external:api-token:old' });
      await expect(
        tokens.authenticate(old, { pluginId: 'catalog' }),
      ).rejects.toMatchObject({ message: /^Unknown API token/ });
      expect((await tokens.list()).map(t => t.name)).toEqual(['ci', 'old']);
    });

    it('answers 404 for a name no token has', async () => {
      const tokens = createService(await databases.init(id));
      const message =
        "No API token named 'nope'; list the tokens with `yarn plinth token list`.";
      await expect(tokens.get('nope')).rejects.toMatchObject({
        name: 'NotFoundError',
        message,
      });
      await expect(
        tokens.revoke('nope', { revokedBy: 'u' }),
      ).rejects.toMatchObject({ name: 'NotFoundError', message });
    });

    it('audits every use, failed ones included, without the secret', async () => {
      const events: AuditorEvent[] = [];
      const tokens = createService(await databases.init(id), events);
      const { secret } = await tokens.create({
        name: 'ci',
        scopes: { pluginIds: ['catalog'] },
        createdBy: 'u',
      });
      await tokens.authenticate(secret, { pluginId: 'catalog' });
      await tokens
        .authenticate(secret, { pluginId: 'scaffolder' })
        .catch(() => {});
      await tokens
        .authenticate('plinth_pat_nope', { pluginId: 'catalog' })
        .catch(() => {});

      expect(events).toEqual([
        {
          plugin: 'catalog',
          eventId: 'api-token-use',
          severityLevel: 'medium',
          actor: { actorId: 'external:api-token:ci' },
          meta: { tokenName: 'ci' },
          status: 'succeeded',
        },
        expect.objectContaining({
          plugin: 'scaffolder',
          actor: { actorId: 'external:api-token:ci' },
          status: 'failed',
          error: expect.objectContaining({ name: 'NotAllowedError' }),
        }),
        expect.objectContaining({
          plugin: 'catalog',
          actor: {},
          status: 'failed',
          error: expect.objectContaining({ name: 'AuthenticationError' }),
        }),
      ]);
      expect(JSON.stringify(events)).not.toContain(secret);
    });
  },
);
