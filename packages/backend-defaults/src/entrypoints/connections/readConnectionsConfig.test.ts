import type { JsonObject } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { ConfigError } from '../../errors';
import { readConnectionsConfig } from './readConnectionsConfig';

function read(data: JsonObject) {
  return readConnectionsConfig(mockServices.rootConfig({ data }));
}

function problemsOf(data: JsonObject): string {
  try {
    read(data);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_CONNECTIONS_INVALID');
    return (error as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('readConnectionsConfig', () => {
  it('reads nothing when no connection is configured', () => {
    expect(read({})).toEqual([]);
  });

  it('names every problem of every connection in one error', () => {
    expect(
      problemsOf({
        connections: [
          {
            type: 'github',
            host: 'github.com',
            auth: [{ method: 'token' }],
            colour: 'red',
          },
          { type: 'gitlub', auth: [] },
          { type: 'gitlab', host: 'gitlab.com', auth: [{ method: 'oauth' }] },
          { type: 'harness', host: 'h.example.com' },
        ],
      }),
    ).toBe(
      [
        'Connections config is invalid; fix these 5 problems:',
        "  - Invalid config at 'connections[0]' (connection type 'github'): Unrecognized key: \"colour\".",
        "  - Invalid config at 'connections[0].auth[0].token' (connection type 'github'): Invalid input: expected string, received undefined.",
        "  - Invalid config at 'connections[1].type': the string 'gitlub' is not a connection type. Use one of 'aws', 'aws-codecommit', 'aws-s3', 'azure-blob-storage', 'azure', 'bitbucket-cloud', 'bitbucket-server', 'gerrit', 'gitea', 'github', 'gitlab', 'google-gcs', 'harness'.",
        "  - Invalid config at 'connections[2].auth[0].method' (connection type 'gitlab'): the string 'oauth' is not an auth method of this type. Use one of 'none', 'token'.",
        "  - Invalid config at 'connections[3].auth' (connection type 'harness'): expected a list of at least one auth entry, got undefined. Use one of the methods 'token'.",
      ].join('\n'),
    );
  });

  it('refuses two connections of one type for the same host', () => {
    expect(
      problemsOf({
        connections: [
          { type: 'gitlab', host: 'gitlab.com', auth: [{ method: 'none' }] },
          {
            type: 'gitlab',
            host: 'gitlab.com',
            auth: [{ method: 'token', token: 't' }],
          },
        ],
      }),
    ).toBe(
      "Connections config is invalid; fix this problem:\n  - Invalid config at 'connections[1]': 'connections[0]' already configures the gitlab connection for host 'gitlab.com'. Merge them.",
    );
  });

  it("applies the AWS rules across a connection's auth entries", () => {
    expect(
      problemsOf({
        connections: [
          {
            type: 'aws',
            roleName: 'reader',
            auth: [
              { method: 'account', accountId: '1', profile: 'a' },
              { method: 'account', accountId: '1', profile: 'b' },
            ],
          },
        ],
      }),
    ).toBe(
      [
        'Connections config is invalid; fix these 2 problems:',
        "  - Invalid config at 'connections[0].auth' (connection type 'aws'): Multiple auth entries for AWS account \"1\", but only one is allowed.",
        "  - Invalid config at 'connections[0].auth' (connection type 'aws'): A connection-level roleName requires an auth entry marked as mainAccount to provide the credentials for assuming it.",
      ].join('\n'),
    );
  });

  it('names the legacy integrations key of an entry that converts to an invalid connection', () => {
    expect(
      problemsOf({
        integrations: {
          gerrit: [{ host: 'g.example.com' }],
          awsS3: [{ endpoint: 'not a url' }],
        },
      }),
    ).toBe(
      [
        'Connections config is invalid; fix these 2 problems:',
        "  - Invalid config at 'integrations.gerrit[0].gitilesBaseUrl' (connection type 'gerrit', converted from legacy integrations config): Invalid input: expected string, received undefined.",
        '  - Invalid config at \'integrations.awsS3[0]\': endpoint "not a url" is not a valid URL, such as https://s3.example.com.',
      ].join('\n'),
    );
  });

  it('keeps the first of legacy integrations that give the same connection', () => {
    const connections = read({
      integrations: {
        gitlab: [
          { host: 'gitlab.com', token: 'first' },
          { host: 'gitlab.com', token: 'second' },
        ],
      },
    });
    expect(connections).toEqual([
      {
        type: 'gitlab',
        host: 'gitlab.com',
        title: 'GitLab',
        match: undefined,
        auth: [
          { method: 'token', token: 'first', title: 'Token', match: undefined },
        ],
      },
    ]);
  });

  it('refuses a connections value that is not a list', () => {
    expect(problemsOf({ connections: { type: 'github' } })).toBe(
      "Connections config is invalid; fix this problem:\n  - Invalid config at 'connections': expected a list of connections, got an object.",
    );
  });
});
