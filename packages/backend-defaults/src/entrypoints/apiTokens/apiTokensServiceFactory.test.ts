import { createBackendPlugin } from '@plinth/backend-plugin-api';
import {
  apiTokensServiceRef,
  type ApiTokensService,
} from '@plinth/backend-plugin-api/alpha';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import type { JsonObject } from '@plinth/errors';
import { apiTokensServiceFactory } from './apiTokensServiceFactory';

async function startWith(apiTokens: JsonObject) {
  let service: ApiTokensService | undefined;
  await startTestBackend({
    features: [
      mockServices.rootConfig.factory({
        data: { backend: { auth: { apiTokens } } },
      }),
      apiTokensServiceFactory,
      createBackendPlugin({
        pluginId: 'probe',
        register(env) {
          env.registerInit({
            deps: { tokens: apiTokensServiceRef },
            async init({ tokens }) {
              service = tokens;
            },
          });
        },
      }),
    ],
  });
  return service!;
}

describe('apiTokensServiceFactory', () => {
  it("limits tokens to 'backend.auth.apiTokens.maxLifetime'", async () => {
    const tokens = await startWith({ maxLifetime: { days: 7 } });
    const now = Date.parse('2026-01-01T00:00:00Z');
    jest.spyOn(Date, 'now').mockReturnValue(now);
    await expect(
      tokens.create({
        name: 'ci',
        expiresAt: new Date('2026-01-09T00:00:00Z'),
        createdBy: 'u',
      }),
    ).rejects.toThrow(
      "Invalid API token request: 'expiresAt' 2026-01-09T00:00:00.000Z is later than 2026-01-08T00:00:00.000Z, the longest lifetime 'backend.auth.apiTokens.maxLifetime' allows; pick an earlier time, or raise that limit.",
    );
    jest.restoreAllMocks();
  });

  it('fails the start on a lifetime that is no duration, naming the key', async () => {
    await expect(startWith({ maxLifetime: 'forever' })).rejects.toThrow(
      `caused by InvalidConfigError: Invalid config at 'backend.auth.apiTokens.maxLifetime' (mock-config): expected a duration longer than zero: milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S', got "forever".`,
    );
  });
});
