import { parseValidateArgs, validateUsage } from './parseValidateArgs';

const env = { PLINTH_TOKEN: 'ci-token' };

describe('parseValidateArgs', () => {
  it('reads the files, location, format and connection', () => {
    expect(
      parseValidateArgs(
        [
          'catalog-info.yaml',
          'catalog/**/*.yaml',
          '--location',
          'url:https://github.com/acme/repo/blob/main/catalog-info.yaml',
          '--format',
          'json',
          '--url',
          'https://plinth.example.com/',
          '--token',
          'flag-token',
        ],
        env,
      ),
    ).toEqual({
      patterns: ['catalog-info.yaml', 'catalog/**/*.yaml'],
      location: 'url:https://github.com/acme/repo/blob/main/catalog-info.yaml',
      format: 'json',
      url: 'https://plinth.example.com',
      token: 'flag-token',
    });
  });

  it('takes the URL and credential from the environment, and text output and the default URL without flags', () => {
    expect(parseValidateArgs(['a.yaml'], env)).toEqual({
      patterns: ['a.yaml'],
      format: 'text',
      url: 'http://localhost:7007',
      token: 'ci-token',
    });
    expect(
      parseValidateArgs(['a.yaml'], {
        ...env,
        PLINTH_URL: 'http://backend:7007',
      }).url,
    ).toBe('http://backend:7007');
  });

  it.each([
    [
      [],
      'Missing files: name the catalog files to validate, such as catalog-info.yaml or "catalog/**/*.yaml".',
    ],
    [
      ['a.yaml', '--format', 'xml'],
      "Invalid --format 'xml': the formats are 'text' and 'json'.",
    ],
    [
      ['a.yaml', '--location', 'file:/etc/passwd'],
      "Invalid --location 'file:/etc/passwd': give the ref of a url location, such as 'url:https://github.com/org/repo/blob/main/catalog-info.yaml'.",
    ],
    [
      ['a.yaml', '--url', 'ftp://x'],
      "Invalid backend URL 'ftp://x': give an http or https URL such as http://localhost:7007.",
    ],
    [
      ['a.yaml', '--verbose'],
      "Unknown option '--verbose'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--verbose\".",
    ],
  ])('refuses %j with the problem and the usage', (argv, problem) => {
    expect(() => parseValidateArgs(argv, env)).toThrow(
      expect.objectContaining({
        name: 'ValidateCommandError',
        code: 'VALIDATE_INVALID_ARGUMENTS',
        message: `${problem}\n${validateUsage}`,
      }),
    );
  });

  it('refuses to run without a credential', () => {
    expect(() => parseValidateArgs(['a.yaml'], {})).toThrow(
      expect.objectContaining({
        code: 'VALIDATE_MISSING_CREDENTIALS',
        message:
          "No credential to call the backend with: set PLINTH_TOKEN (or pass --token) to a token allowed to validate entities, such as a static token from 'backend.auth.externalAccess' or, locally, the development token in .plinth/dev-token.",
      }),
    );
  });
});
