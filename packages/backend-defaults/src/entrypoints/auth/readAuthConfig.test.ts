import type { JsonObject } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { AuthConfigError } from '../../errors';
import { readAuthConfig } from './readAuthConfig';

const secret = 'x'.repeat(32);

function read(auth: JsonObject, nodeEnv?: string) {
  return readAuthConfig(
    mockServices.rootConfig({ data: { backend: { auth } } }),
    nodeEnv,
  );
}

function problemsOf(auth: JsonObject, nodeEnv?: string): readonly string[] {
  try {
    read(auth, nodeEnv);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthConfigError);
    return (error as AuthConfigError).problems;
  }
  throw new Error('expected readAuthConfig to throw');
}

const generateToken = `generate one with: node -p "require('node:crypto').randomBytes(24).toString('base64url')"`;
const generateSecret = `generate one with: node -p "require('node:crypto').randomBytes(24).toString('base64')"`;

describe('readAuthConfig', () => {
  it('reads nothing configured as defaults', () => {
    expect(
      readAuthConfig(mockServices.rootConfig({ data: {} }), 'production'),
    ).toEqual({
      keys: [],
      externalAccess: [],
      developmentToken: false,
      disableDefaultAuthPolicy: false,
      maxUserTokenLifetimeSeconds: 86400,
    });
  });

  it('reads keys, static tokens with restrictions, and the flags', () => {
    expect(
      read({
        keys: [{ secret }, { secret: `${secret}2` }],
        externalAccess: [
          { type: 'static', options: { token: 'ci-token-1', subject: 'ci' } },
          {
            type: 'static',
            options: { token: 'bot-token-1', subject: 'bot' },
            accessRestrictions: [{ plugin: 'catalog' }, { plugin: 'search' }],
          },
        ],
        developmentToken: true,
        dangerouslyDisableDefaultAuthPolicy: 'true',
        maxUserTokenLifetime: { hours: 8 },
      }),
    ).toEqual({
      keys: [secret, `${secret}2`],
      externalAccess: [
        { token: 'ci-token-1', subject: 'ci' },
        {
          token: 'bot-token-1',
          subject: 'bot',
          pluginIds: ['catalog', 'search'],
        },
      ],
      developmentToken: true,
      disableDefaultAuthPolicy: true,
      maxUserTokenLifetimeSeconds: 28800,
    });
  });

  it.each([
    [3_600_000, 3600],
    ['PT90M', 5400],
    [{ days: 7 }, 604800],
    [1500, 1],
  ])(
    'reads the maximum user token lifetime %p as %p whole seconds',
    (maxUserTokenLifetime, seconds) => {
      expect(read({ maxUserTokenLifetime }).maxUserTokenLifetimeSeconds).toBe(
        seconds,
      );
    },
  );

  it('reports a maximum user token lifetime that is not a duration', () => {
    expect(problemsOf({ maxUserTokenLifetime: '1 day' })).toEqual([
      `Invalid config at 'backend.auth.maxUserTokenLifetime' (mock-config): expected a duration longer than zero: milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S', got "1 day".`,
    ]);
    expect(problemsOf({ maxUserTokenLifetime: 0 })).toEqual([
      `Invalid config at 'backend.auth.maxUserTokenLifetime' (mock-config): expected a duration longer than zero: milliseconds, an object such as { seconds: 30 }, or an ISO 8601 string such as 'PT30S', got 0.`,
    ]);
  });

  it('reports a maximum user token lifetime shorter than a second', () => {
    expect(problemsOf({ maxUserTokenLifetime: 500 })).toEqual([
      `Invalid config at 'backend.auth.maxUserTokenLifetime': 500 milliseconds is shorter than a second, so every user token would be refused; set a duration such as { hours: 24 }.`,
    ]);
  });

  it('lists every problem in one error, one line each', () => {
    expect(() =>
      read({
        keys: [{}],
        externalAccess: [
          { type: 'jwks', options: { token: 'ci-token-1', subject: 'ci' } },
        ],
      }),
    ).toThrow(
      new AuthConfigError([
        `Missing config at 'backend.auth.keys[0].secret': each key needs a secret of at least 32 characters; ${generateSecret}`,
        `Invalid config at 'backend.auth.externalAccess[0].type': unknown access type 'jwks'; the only supported type is 'static'.`,
      ]),
    );
    expect(
      new AuthConfigError(['first problem.', 'second problem.']).message,
    ).toBe(
      "Invalid auth config: found 2 problems under 'backend.auth':\n  - first problem.\n  - second problem.",
    );
    expect(new AuthConfigError(['only problem.']).message).toBe(
      "Invalid auth config: found 1 problem under 'backend.auth':\n  - only problem.",
    );
  });

  it('rejects a secret shorter than 32 characters without quoting it', () => {
    expect(
      problemsOf({ keys: [{ secret }, { secret: 'short-secret' }] }),
    ).toEqual([
      `Invalid config at 'backend.auth.keys[1].secret': the secret has 12 characters, fewer than the 32 that HS256 needs; ${generateSecret}`,
    ]);
  });

  it('reports a secret of the wrong type with the config reader message', () => {
    expect(problemsOf({ keys: [{ secret: 42 }] })).toEqual([
      `Invalid config at 'backend.auth.keys[0].secret' (mock-config): expected a non-empty string, got 42.`,
    ]);
  });

  it('reports keys that are not a list', () => {
    expect(problemsOf({ keys: 'abc' })).toEqual([
      `Invalid config at 'backend.auth.keys' (mock-config): expected an array of objects, got "abc".`,
    ]);
  });

  it('requires the type of a static access entry', () => {
    expect(
      problemsOf({
        externalAccess: [{ options: { token: 'ci-token-1', subject: 'ci' } }],
      }),
    ).toEqual([
      `Missing config at 'backend.auth.externalAccess[0].type': set it to 'static', the only supported access type.`,
    ]);
  });

  it('requires a token of at least 8 characters without whitespace', () => {
    expect(
      problemsOf({
        externalAccess: [
          { type: 'static', options: { subject: 'a' } },
          { type: 'static', options: { token: 'short', subject: 'b' } },
          {
            type: 'static',
            options: { token: 'has white space', subject: 'c' },
          },
          { type: 'static', options: { token: 12345678, subject: 'd' } },
        ],
      }),
    ).toEqual([
      `Missing config at 'backend.auth.externalAccess[0].options.token': a static access entry needs a token of at least 8 characters without whitespace; ${generateToken}`,
      `Invalid config at 'backend.auth.externalAccess[1].options.token': the token must be at least 8 characters without whitespace; ${generateToken}`,
      `Invalid config at 'backend.auth.externalAccess[2].options.token': the token must be at least 8 characters without whitespace; ${generateToken}`,
      `Invalid config at 'backend.auth.externalAccess[3].options.token' (mock-config): expected a non-empty string, got 12345678.`,
    ]);
  });

  it('requires a subject', () => {
    expect(
      problemsOf({
        externalAccess: [{ type: 'static', options: { token: 'ci-token-1' } }],
      }),
    ).toEqual([
      `Missing config at 'backend.auth.externalAccess[0].options.subject': name the caller that uses this token, such as 'ci'; it authenticates as 'external:<subject>'.`,
    ]);
  });

  it('rejects a token that another entry already uses', () => {
    const entry = {
      type: 'static',
      options: { token: 'ci-token-1', subject: 'ci' },
    };
    expect(problemsOf({ externalAccess: [entry, entry] })).toEqual([
      `Invalid config at 'backend.auth.externalAccess[1].options.token': it repeats the token of 'backend.auth.externalAccess[0]'; give each entry its own token.`,
    ]);
  });

  it('validates each access restriction', () => {
    const options = { token: 'ci-token-1', subject: 'ci' };
    expect(
      problemsOf({
        externalAccess: [
          { type: 'static', options, accessRestrictions: [] },
          {
            type: 'static',
            options: { ...options, token: 'ci-token-2' },
            accessRestrictions: [
              {},
              { plugin: 'Bad_Id!' },
              { plugin: 'catalog', permission: 'catalog.entity.read' },
            ],
          },
        ],
      }),
    ).toEqual([
      `Invalid config at 'backend.auth.externalAccess[0].accessRestrictions': the list is empty; list the plugins the token may call, or remove the key to allow every plugin.`,
      `Missing config at 'backend.auth.externalAccess[1].accessRestrictions[0].plugin': each restriction names a plugin the token may call, such as 'catalog'.`,
      `Invalid config at 'backend.auth.externalAccess[1].accessRestrictions[1].plugin': 'Bad_Id!' is not a plugin id; use letters, digits and single dashes, starting with a letter, such as 'my-plugin'.`,
      `Invalid config at 'backend.auth.externalAccess[1].accessRestrictions[2]': unsupported restriction 'permission'; only 'plugin' restrictions are supported; remove it, as it would restrict nothing.`,
    ]);
  });

  it.each([['a--b'], ['a-']])(
    "rejects the restriction plugin '%s', which the engine refuses as a plugin id",
    plugin => {
      expect(
        problemsOf({
          externalAccess: [
            {
              type: 'static',
              options: { token: 'ci-token-1', subject: 'ci' },
              accessRestrictions: [{ plugin }],
            },
          ],
        }),
      ).toEqual([
        `Invalid config at 'backend.auth.externalAccess[0].accessRestrictions[0].plugin': '${plugin}' is not a plugin id; use letters, digits and single dashes, starting with a letter, such as 'my-plugin'.`,
      ]);
    },
  );

  it('reports access restrictions that are not a list', () => {
    expect(
      problemsOf({
        externalAccess: [
          {
            type: 'static',
            options: { token: 'ci-token-1', subject: 'ci' },
            accessRestrictions: { plugin: 'catalog' },
          },
        ],
      }),
    ).toEqual([
      `Invalid config at 'backend.auth.externalAccess[0].accessRestrictions' (mock-config): expected an array of objects, got an object.`,
    ]);
  });

  it('refuses the development token when NODE_ENV is production', () => {
    expect(problemsOf({ developmentToken: true }, 'production')).toEqual([
      `Invalid config at 'backend.auth.developmentToken': the development token is refused when NODE_ENV is 'production', because anyone who can read the log could use it; remove the setting from your production config.`,
    ]);
  });

  it('reports flags that are not booleans', () => {
    expect(
      problemsOf({
        developmentToken: 'yes',
        dangerouslyDisableDefaultAuthPolicy: 1,
      }),
    ).toEqual([
      `Invalid config at 'backend.auth.developmentToken' (mock-config): expected a boolean, got "yes".`,
      `Invalid config at 'backend.auth.dangerouslyDisableDefaultAuthPolicy' (mock-config): expected a boolean, got 1.`,
    ]);
  });
});
