import { parseTokenArgs, tokenUsage } from './parseTokenArgs';

const env = { PLINTH_TOKEN: 'admin-token' };

afterEach(() => {
  jest.restoreAllMocks();
});

describe('parseTokenArgs', () => {
  it('reads a create with its scopes, expiry and connection', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-01-01T00:00:00Z'));
    expect(
      parseTokenArgs(
        [
          'create',
          'ci',
          '--plugin',
          'catalog',
          '--plugin',
          'search',
          '--permission',
          'catalog.entity.read',
          '--read-only',
          '--expires',
          '30d',
          '--url',
          'https://plinth.example.com/',
          '--json',
        ],
        env,
      ),
    ).toEqual({
      action: 'create',
      name: 'ci',
      scopes: {
        pluginIds: ['catalog', 'search'],
        permissionNames: ['catalog.entity.read'],
        readOnly: true,
      },
      expiresAt: '2026-01-31T00:00:00.000Z',
      connection: {
        url: 'https://plinth.example.com',
        token: 'admin-token',
        json: true,
      },
    });
  });

  it('takes the URL and credential from the environment, and the default URL without one', () => {
    expect(
      parseTokenArgs(['list'], { ...env, PLINTH_URL: 'http://backend:7007' }),
    ).toEqual({
      action: 'list',
      connection: {
        url: 'http://backend:7007',
        token: 'admin-token',
        json: false,
      },
    });
    expect(
      parseTokenArgs(['revoke', 'ci', '--token', 'flag-token'], {}),
    ).toEqual({
      action: 'revoke',
      name: 'ci',
      connection: {
        url: 'http://localhost:7007',
        token: 'flag-token',
        json: false,
      },
    });
  });

  it('reads an ISO 8601 expiry and hours', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-01-01T00:00:00Z'));
    const expiry = (value: string) =>
      (
        parseTokenArgs(['create', 'ci', '--expires', value], env) as {
          expiresAt: string;
        }
      ).expiresAt;
    expect(expiry('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    expect(expiry('12h')).toBe('2026-01-01T12:00:00.000Z');
  });

  it.each([
    [[], 'Missing action: say create, list or revoke.'],
    [
      ['rotate'],
      "Unknown action 'rotate': the actions are create, list and revoke.",
    ],
    [['create'], 'Missing token name: write yarn plinth token create <name>.'],
    [['list', 'ci'], "Unexpected argument 'ci' for 'list'."],
    [['revoke', 'ci', 'more'], "Unexpected argument 'more' for 'revoke'."],
    [
      ['revoke', 'ci', '--read-only'],
      "Flag '--read-only' only applies to 'create'.",
    ],
    [
      ['create', 'ci', '--expires', 'soon'],
      "Invalid --expires 'soon': give days such as 30d, hours such as 12h, or an ISO 8601 time such as 2026-03-01T00:00:00Z.",
    ],
    [
      ['list', '--url', 'localhost:7007'],
      "Invalid backend URL 'localhost:7007': give an http or https URL such as http://localhost:7007.",
    ],
    [
      ['list', '--scope', 'x'],
      "Unknown option '--scope'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--scope\".",
    ],
  ])(
    'refuses %j, naming the problem and printing the usage',
    (argv, problem) => {
      expect(() => parseTokenArgs(argv, env)).toThrow(
        expect.objectContaining({
          name: 'TokenCommandError',
          code: 'TOKEN_INVALID_ARGUMENTS',
          message: `${problem}\n${tokenUsage}`,
        }),
      );
    },
  );

  it('refuses to run without a credential', () => {
    expect(() => parseTokenArgs(['list'], {})).toThrow(
      expect.objectContaining({
        code: 'TOKEN_MISSING_CREDENTIALS',
        message:
          "No credential to call the backend with: set PLINTH_TOKEN (or pass --token) to a token allowed to manage API tokens, such as a static token from 'backend.auth.externalAccess' or, locally, the development token.",
      }),
    );
  });
});
