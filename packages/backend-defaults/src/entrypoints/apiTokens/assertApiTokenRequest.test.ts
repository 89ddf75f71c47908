import { assertApiTokenRequest } from './assertApiTokenRequest';

const day = 86_400_000;
const now = Date.parse('2026-01-01T00:00:00Z');

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(now);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('assertApiTokenRequest', () => {
  it('keeps only the scopes that narrow anything, without duplicates', () => {
    expect(
      assertApiTokenRequest(
        {
          name: 'ci-deploy',
          scopes: {
            pluginIds: ['catalog', 'catalog'],
            permissionNames: ['catalog.entity.read'],
            readOnly: false,
          },
          expiresAt: new Date(now + day),
          createdBy: 'u',
        },
        90 * day,
      ),
    ).toEqual({
      scopes: {
        pluginIds: ['catalog'],
        permissionNames: ['catalog.entity.read'],
      },
      expiresAt: new Date(now + day),
    });
  });

  it.each([
    [
      { name: 'CI' },
      "Invalid API token request: 'name' must be lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters, such as 'ci-deploy', got the string 'CI'.",
    ],
    [
      { createdBy: '' },
      "Invalid API token request: 'createdBy' must be the caller, got the string ''.",
    ],
    [
      { scopes: [] },
      "Invalid API token request: 'scopes' must be an object, got an array.",
    ],
    [
      { scopes: { plugins: ['catalog'] } },
      "Invalid API token request: unknown scope 'plugins'; the scopes are 'pluginIds', 'permissionNames' and 'readOnly'.",
    ],
    [
      { scopes: { pluginIds: [] } },
      "Invalid API token request: 'scopes.pluginIds' must be a non-empty list; leave the scope out to allow all, got an array.",
    ],
    [
      { scopes: { pluginIds: ['catalog', 'Bad Id'] } },
      "Invalid API token request: 'scopes.pluginIds[1]' must be letters, digits and single dashes, starting with a letter, such as 'my-plugin', got the string 'Bad Id'.",
    ],
    [
      { scopes: { permissionNames: [''] } },
      "Invalid API token request: 'scopes.permissionNames[0]' must be a permission name without whitespace, at most 200 characters, such as 'catalog.entity.read', got the string ''.",
    ],
    [
      { scopes: { permissionNames: ['x'.repeat(201)] } },
      `Invalid API token request: 'scopes.permissionNames[0]' must be a permission name without whitespace, at most 200 characters, such as 'catalog.entity.read', got the string '${'x'.repeat(201)}'.`,
    ],
    [
      {
        scopes: {
          pluginIds: Array.from({ length: 101 }, (_, i) => `plugin-${i}`),
        },
      },
      "Invalid API token request: 'scopes.pluginIds' lists 101 entries, more than the 100 a scope may list; leave the scope out to allow all.",
    ],
    [
      { scopes: { permissionNames: [3] } },
      "Invalid API token request: 'scopes.permissionNames[0]' must be a non-empty string, got number 3.",
    ],
    [
      { scopes: { readOnly: 'yes' } },
      "Invalid API token request: 'scopes.readOnly' must be true or false, got the string 'yes'.",
    ],
    [
      { expiresAt: new Date('nonsense') },
      "Invalid API token request: 'expiresAt' must be a date, got an object.",
    ],
    [
      { expiresAt: new Date(now - 1000) },
      "Invalid API token request: 'expiresAt' 2025-12-31T23:59:59.000Z has passed; pick a time in the future.",
    ],
    [
      { expiresAt: new Date(now + 91 * day) },
      "Invalid API token request: 'expiresAt' 2026-04-02T00:00:00.000Z is later than 2026-04-01T00:00:00.000Z, the longest lifetime 'backend.auth.apiTokens.maxLifetime' allows; pick an earlier time, or raise that limit.",
    ],
  ])('refuses %j with a 400 naming the field', (change, message) => {
    const request = { name: 'ci', createdBy: 'u', ...change };
    expect(() => assertApiTokenRequest(request as never, 90 * day)).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
    expect(() => assertApiTokenRequest(request as never, 90 * day)).toThrow(
      message,
    );
  });
});
