import type { JsonObject } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { AuthConfigError } from '../../errors';
import {
  createAuthRootContext,
  getProcessDevelopmentToken,
  StaticTokenTable,
} from './createAuthRootContext';
import { DefaultAuthService } from './DefaultAuthService';

const secret = 'a-shared-secret-of-32-characters';
const loopback = { host: '127.0.0.1' };

function create(
  backend: JsonObject,
  options: { nodeEnv?: string; pluginIds?: string[] } = {},
) {
  const logger = mockServices.rootLogger();
  const onDevelopmentToken = jest.fn();
  const context = createAuthRootContext({
    config: mockServices.rootConfig({ data: { backend } }),
    logger,
    onDevelopmentToken,
    nodeEnv: options.nodeEnv ?? 'development',
    pluginIds: options.pluginIds ?? ['todo', 'catalog'],
  });
  return { context, logger, onDevelopmentToken };
}

describe('createAuthRootContext', () => {
  it('logs the development token with a curl example and reports it to the listener', async () => {
    const { context, logger, onDevelopmentToken } = create({
      baseUrl: 'https://backend.example.com/',
      listen: loopback,
      auth: { keys: [{ secret }], developmentToken: true },
    });
    const { developmentToken } = await context;
    expect(developmentToken).toMatch(/^[\w-]{32}$/);
    expect(logger.messages('info')).toEqual([
      `Development token for subject 'external:development', valid until this process exits: ${developmentToken}\n` +
        `  Try: curl -H "Authorization: Bearer ${developmentToken}" https://backend.example.com/api/catalog/entities`,
    ]);
    expect(onDevelopmentToken).toHaveBeenCalledWith({
      token: developmentToken,
      subject: 'development',
    });
  });

  it("names the first plugin's routes in the curl example of a backend without the catalog", async () => {
    const { context, logger } = create(
      {
        listen: { host: '127.0.0.1', port: 7008 },
        auth: { keys: [{ secret }], developmentToken: true },
      },
      { pluginIds: ['todo', 'orders'] },
    );
    const { developmentToken } = await context;
    expect(logger.messages('info')).toEqual([
      `Development token for subject 'external:development', valid until this process exits: ${developmentToken}\n` +
        `  Try: curl -H "Authorization: Bearer ${developmentToken}" http://127.0.0.1:7008/api/todo/<route>`,
    ]);
  });

  it('lets the development token call every plugin as external:development', async () => {
    const { context } = create({
      listen: loopback,
      auth: { keys: [{ secret }], developmentToken: true },
    });
    const resolved = await context;
    const auth = DefaultAuthService.create({
      pluginId: 'scaffolder',
      context: resolved,
    });
    await expect(
      auth.authenticate(resolved.developmentToken!),
    ).resolves.toEqual({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'service', subject: 'external:development' },
    });
  });

  it('generates the development token once per process', async () => {
    const backend = { listen: loopback, auth: { developmentToken: true } };
    const first = await create(backend).context;
    const second = await create(backend).context;
    expect(second.developmentToken).toBe(first.developmentToken);
  });

  it.each([
    ['127.0.0.1', 'http://127.0.0.1:7100'],
    ['127.1.2.3', 'http://127.1.2.3:7100'],
    ['::1', 'http://[::1]:7100'],
    ['::ffff:127.0.0.1', 'http://[::ffff:127.0.0.1]:7100'],
    ['localhost', 'http://localhost:7100'],
    ['LocalHost', 'http://LocalHost:7100'],
  ])(
    "issues the development token on the loopback host '%s', with a curl example of the listen address",
    async (host, baseUrl) => {
      const { context, logger, onDevelopmentToken } = create({
        listen: { host, port: 7100 },
        auth: { keys: [{ secret }], developmentToken: true },
      });
      const { developmentToken } = await context;
      expect(developmentToken).toBe(getProcessDevelopmentToken());
      expect(onDevelopmentToken).toHaveBeenCalledTimes(1);
      expect(logger.messages('warn')).toEqual([]);
      expect(logger.messages('info')[0]).toContain(
        `${baseUrl}/api/catalog/entities`,
      );
    },
  );

  it.each([
    [{}, 'every interface'],
    [{ host: '' }, 'every interface'],
    [{ host: '0.0.0.0' }, "'0.0.0.0'"],
    [{ host: '::' }, "'::'"],
    [{ host: '192.168.1.20' }, "'192.168.1.20'"],
    [{ host: '::ffff:192.168.1.20' }, "'::ffff:192.168.1.20'"],
    [{ host: 'localhost.example.com' }, "'localhost.example.com'"],
  ])(
    'refuses the development token when listening on %j, with one warning',
    async (listen, where) => {
      const { context, logger, onDevelopmentToken } = create({
        listen,
        auth: { keys: [{ secret }], developmentToken: true },
      });
      const resolved = await context;
      expect(resolved.developmentToken).toBeUndefined();
      expect(onDevelopmentToken).not.toHaveBeenCalled();
      expect(logger.messages('info')).toEqual([]);
      expect(logger.messages('warn')).toEqual([
        `The development token ('backend.auth.developmentToken') is off: the backend listens on ${where}, not on a loopback address, so the token, which every plugin accepts, would work from other machines; set 'backend.listen.host: 127.0.0.1' for local development.`,
      ]);
      const auth = DefaultAuthService.create({
        pluginId: 'catalog',
        context: resolved,
      });
      await expect(
        auth.authenticate(getProcessDevelopmentToken()),
      ).rejects.toMatchObject({ name: 'AuthenticationError' });
    },
  );

  it('shows a placeholder in the curl example when the listen port is random', async () => {
    const { context, logger } = create({
      listen: { ...loopback, port: 0 },
      auth: { keys: [{ secret }], developmentToken: true },
    });
    await context;
    expect(logger.messages('info')[0]).toContain(
      `http://127.0.0.1:<port>/api/catalog/entities`,
    );
  });

  it('rejects an invalid listen port as the HTTP server does', async () => {
    const { context } = create({
      listen: { port: 70000 },
      auth: { keys: [{ secret }], developmentToken: true },
    });
    await expect(context).rejects.toThrow(
      "Invalid config at 'backend.listen.port' (mock-config): expected an integer from 0 to 65535 (0 picks a free port), got 70000.",
    );
  });

  it('has no development token unless asked for one', async () => {
    const { context, onDevelopmentToken } = create({
      auth: { keys: [{ secret }] },
    });
    expect((await context).developmentToken).toBeUndefined();
    expect(onDevelopmentToken).not.toHaveBeenCalled();
  });

  it('refuses the development token in production before logging it', async () => {
    const { context, logger, onDevelopmentToken } = create(
      { auth: { keys: [{ secret }], developmentToken: true } },
      { nodeEnv: 'production' },
    );
    await expect(context).rejects.toThrow(
      new AuthConfigError([
        "Invalid config at 'backend.auth.developmentToken': the development token is refused when NODE_ENV is 'production', because anyone who can read the log could use it; remove the setting from your production config.",
      ]),
    );
    expect(logger.lines).toEqual([]);
    expect(onDevelopmentToken).not.toHaveBeenCalled();
  });

  it('reads the default auth policy switch', async () => {
    const { context } = create({
      auth: { dangerouslyDisableDefaultAuthPolicy: true },
    });
    expect((await context).disableDefaultAuthPolicy).toBe(true);
  });
});

describe('StaticTokenTable', () => {
  const ci = { token: 'ci-token-0123456789', subject: 'ci' };
  const bot = {
    token: 'bot-token-0123456789',
    subject: 'bot',
    pluginIds: ['catalog'],
  };
  const table = new StaticTokenTable([ci, bot]);

  it('finds the entry of each configured token', () => {
    expect(table.find('ci-token-0123456789')).toBe(ci);
    expect(table.find('bot-token-0123456789')).toBe(bot);
  });

  it('finds no entry for a token that is only a prefix, an extension or a different case of a configured one', () => {
    expect(table.find('ci-token-012345678')).toBeUndefined();
    expect(table.find('ci-token-0123456789x')).toBeUndefined();
    expect(table.find('CI-TOKEN-0123456789')).toBeUndefined();
    expect(table.find('')).toBeUndefined();
  });

  it('finds nothing when no static tokens are configured', () => {
    expect(
      new StaticTokenTable([]).find('ci-token-0123456789'),
    ).toBeUndefined();
  });
});
