import type { JsonObject } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { InputError, NotAllowedError, NotFoundError } from '@plinth/errors';
import { DefaultConnectionsService } from './DefaultConnectionsService';

function serviceFor(data: JsonObject, pluginId = 'catalog') {
  const logger = mockServices.logger();
  return DefaultConnectionsService.create({
    config: mockServices.rootConfig({ data }),
    logger,
  }).forPlugin(pluginId);
}

const github = {
  connections: [
    {
      type: 'github',
      host: 'github.com',
      auth: [
        {
          method: 'app',
          appId: 1,
          privateKey: 'k',
          clientId: 'c',
          clientSecret: 's',
          orgs: ['acme'],
        },
        { method: 'token', token: 'ghp_shared' },
      ],
    },
    {
      type: 'github',
      host: 'ghe.example.com',
      apiBaseUrl: 'https://ghe.example.com/api/v3',
      auth: [{ method: 'token', token: 'ghe_token' }],
    },
  ],
};

describe('DefaultConnectionsService', () => {
  it('finds a connection by the host of the query url and picks the app of its organisation', async () => {
    const found = await serviceFor(github).find({
      type: 'github',
      query: { url: 'https://github.com/acme/web' },
      authMethods: ['app', 'token'],
    });
    expect(found).toEqual({
      type: 'github',
      host: 'github.com',
      title: 'GitHub (github.com)',
      match: undefined,
      auth: {
        method: 'app',
        title: 'GitHub App',
        appId: 1,
        privateKey: 'k',
        clientId: 'c',
        clientSecret: 's',
        orgs: ['acme'],
        match: undefined,
      },
    });
  });

  it('uses the only app even for an organisation it does not list, as Backstage does', async () => {
    const found = await serviceFor(github).find({
      type: 'github',
      query: { url: 'https://github.com/other/repo' },
      authMethods: ['app', 'token'],
    });
    expect(found.auth.method).toBe('app');
  });

  it('falls back to the token when no app is configured', async () => {
    const found = await serviceFor(github).find({
      type: 'github',
      query: { url: 'https://ghe.example.com/team/repo' },
      authMethods: ['token'],
    });
    expect(found.auth).toEqual({
      method: 'token',
      title: 'Token',
      token: 'ghe_token',
      match: undefined,
    });
  });

  it('returns the connection without credentials when no auth methods are asked for', async () => {
    const found = await serviceFor(github).find({
      type: 'github',
      query: { url: 'https://ghe.example.com/team/repo' },
    });
    expect(found).toEqual({
      type: 'github',
      host: 'ghe.example.com',
      apiBaseUrl: 'https://ghe.example.com/api/v3',
      title: 'GitHub (ghe.example.com)',
      match: undefined,
    });
  });

  it('refuses an auth method the caller does not accept', async () => {
    await expect(
      serviceFor(github).find({
        type: 'github',
        query: { url: 'https://ghe.example.com/team/repo' },
        authMethods: ['app'],
      }),
    ).rejects.toThrow(
      new NotAllowedError(
        "The connection of type 'github' for host 'ghe.example.com' uses auth method 'token', which is not among the accepted methods 'app'.",
      ),
    );
  });

  it('throws NotFoundError for a host without a connection', async () => {
    const found = serviceFor(github).find({
      type: 'gitlab',
      query: { url: 'https://gitlab.com/a/b' },
    });
    await expect(found).rejects.toBeInstanceOf(NotFoundError);
    await expect(found).rejects.toThrow(
      "No connection of type 'gitlab' for host 'gitlab.com' is configured for this plugin.",
    );
  });

  it('throws InputError for a query url that is not absolute', async () => {
    const found = serviceFor(github).find({
      type: 'github',
      query: { url: 'github.com/acme' },
    });
    await expect(found).rejects.toBeInstanceOf(InputError);
    await expect(found).rejects.toThrow(
      'Invalid url "github.com/acme" passed to ConnectionsService.find for connection type \'github\'; pass an absolute URL such as https://host/path.',
    );
  });

  it('hides connections and auth entries that match other plugins, and prefers entries for this plugin', async () => {
    const data = {
      connections: [
        {
          type: 'gitlab',
          host: 'gitlab.com',
          auth: [
            { method: 'token', token: 'shared' },
            {
              method: 'token',
              token: 'scaffolder-only',
              match: { plugins: ['scaffolder'] },
            },
          ],
        },
        {
          type: 'gitea',
          host: 'gitea.example.com',
          match: { plugins: ['scaffolder'] },
          auth: [{ method: 'none' }],
        },
      ],
    };
    const query = { url: 'https://gitlab.com/g/p' };
    const scaffolder = await serviceFor(data, 'scaffolder').find({
      type: 'gitlab',
      query,
      authMethods: ['token'],
    });
    const catalog = await serviceFor(data, 'catalog').find({
      type: 'gitlab',
      query,
      authMethods: ['token'],
    });
    expect(scaffolder.auth.token).toBe('scaffolder-only');
    expect(catalog.auth.token).toBe('shared');
    await expect(
      serviceFor(data, 'catalog').find({
        type: 'gitea',
        query: { url: 'https://gitea.example.com/x' },
      }),
    ).rejects.toThrow(
      "No connection of type 'gitea' for host 'gitea.example.com' is configured for this plugin.",
    );
    await expect(
      serviceFor(data, 'scaffolder').find({
        type: 'gitea',
        query: { url: 'https://gitea.example.com/x' },
      }),
    ).resolves.toMatchObject({ host: 'gitea.example.com', title: 'Gitea' });
  });

  it('picks the AWS account of the queried ARN, else the main account', async () => {
    const service = serviceFor({
      connections: [
        {
          type: 'aws',
          auth: [
            {
              method: 'account',
              accountId: '111111111111',
              accessKeyId: 'AK1',
              secretAccessKey: 'S1',
            },
            { method: 'account', mainAccount: true, profile: 'main' },
          ],
        },
      ],
    });
    const byArn = await service.find({
      type: 'aws',
      query: { arn: 'arn:aws:s3:eu-west-1:111111111111:bucket' },
      authMethods: ['account'],
    });
    const other = await service.find({
      type: 'aws',
      query: { accountId: '222222222222' },
      authMethods: ['account'],
    });
    expect(byArn.auth.accessKeyId).toBe('AK1');
    expect(other.auth).toEqual({
      method: 'account',
      title: 'Account',
      mainAccount: true,
      profile: 'main',
      match: undefined,
    });
  });

  it('converts legacy integrations config into connections', async () => {
    const service = serviceFor({
      integrations: {
        github: [{ host: 'github.com', token: 'legacy-token' }],
        gitlab: [{ host: 'gitlab.example.com' }],
      },
    });
    const gh = await service.find({
      type: 'github',
      query: { url: 'https://github.com/a/b' },
      authMethods: ['token'],
    });
    const gl = await service.find({
      type: 'gitlab',
      query: { url: 'https://gitlab.example.com/a/b' },
      authMethods: ['none'],
    });
    expect(gh.auth.token).toBe('legacy-token');
    expect(gl).toMatchObject({
      title: 'GitLab',
      auth: { method: 'none', title: 'None' },
    });
  });

  it('ignores legacy integrations of a type that connections configure', async () => {
    const service = serviceFor({
      integrations: { github: [{ host: 'old.example.com', token: 'old' }] },
      connections: [
        { type: 'github', host: 'github.com', auth: [{ method: 'none' }] },
      ],
    });
    await expect(
      service.find({
        type: 'github',
        query: { url: 'https://old.example.com/a' },
      }),
    ).rejects.toThrow(
      "No connection of type 'github' for host 'old.example.com' is configured for this plugin.",
    );
  });
});
