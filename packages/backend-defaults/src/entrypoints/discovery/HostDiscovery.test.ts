import type { JsonObject } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { InvalidConfigError } from '../../errors';
import { HostDiscovery } from './HostDiscovery';

const discovery = (data: JsonObject) =>
  HostDiscovery.fromConfig(mockServices.rootConfig({ data }));

describe('HostDiscovery', () => {
  it('defaults to localhost on port 7007 for both URLs', async () => {
    const d = discovery({});
    await expect(d.getBaseUrl('catalog')).resolves.toBe(
      'http://localhost:7007/api/catalog',
    );
    await expect(d.getExternalBaseUrl('catalog')).resolves.toBe(
      'http://localhost:7007/api/catalog',
    );
  });

  it('builds the internal URL from backend.listen and the external one from backend.baseUrl', async () => {
    const d = discovery({
      backend: {
        baseUrl: 'https://backstage.example.com/backend/',
        listen: { host: '10.0.0.5', port: 8080 },
      },
    });
    await expect(d.getBaseUrl('catalog')).resolves.toBe(
      'http://10.0.0.5:8080/api/catalog',
    );
    await expect(d.getExternalBaseUrl('catalog')).resolves.toBe(
      'https://backstage.example.com/backend/api/catalog',
    );
  });

  it.each([[''], ['0.0.0.0'], ['::']])(
    "uses localhost for the wildcard listen host '%s'",
    async host => {
      const d = discovery({ backend: { listen: { host, port: 7008 } } });
      await expect(d.getBaseUrl('todo')).resolves.toBe(
        'http://localhost:7008/api/todo',
      );
    },
  );

  it('puts an IPv6 listen host in brackets', async () => {
    const d = discovery({ backend: { listen: { host: '::1' } } });
    await expect(d.getBaseUrl('todo')).resolves.toBe(
      'http://[::1]:7007/api/todo',
    );
  });

  it('uses the listen port in the default external URL', async () => {
    const d = discovery({ backend: { listen: { port: 7010 } } });
    await expect(d.getExternalBaseUrl('todo')).resolves.toBe(
      'http://localhost:7010/api/todo',
    );
  });

  it('lets an endpoint with a string target set both URLs, filling in the plugin id', async () => {
    const d = discovery({
      discovery: {
        endpoints: [
          {
            target: 'http://catalog-svc:7007/api/{{pluginId}}/',
            plugins: ['catalog', 'search'],
          },
          { target: 'http://todo-svc/{{ pluginId }}', plugins: ['todo'] },
        ],
      },
    });
    await expect(d.getBaseUrl('search')).resolves.toBe(
      'http://catalog-svc:7007/api/search',
    );
    await expect(d.getExternalBaseUrl('catalog')).resolves.toBe(
      'http://catalog-svc:7007/api/catalog',
    );
    await expect(d.getBaseUrl('todo')).resolves.toBe('http://todo-svc/todo');
    await expect(d.getBaseUrl('other')).resolves.toBe(
      'http://localhost:7007/api/other',
    );
  });

  it('lets an endpoint set the internal and external URLs apart, or only one of them', async () => {
    const d = discovery({
      backend: { baseUrl: 'https://dev.example.com' },
      discovery: {
        endpoints: [
          {
            target: {
              internal: 'http://catalog:7007/api/{{pluginId}}',
              external: 'https://catalog.example.com/api/{{pluginId}}',
            },
            plugins: ['catalog'],
          },
          {
            target: { internal: 'http://todo:7007/api/todo' },
            plugins: ['todo'],
          },
        ],
      },
    });
    await expect(d.getBaseUrl('catalog')).resolves.toBe(
      'http://catalog:7007/api/catalog',
    );
    await expect(d.getExternalBaseUrl('catalog')).resolves.toBe(
      'https://catalog.example.com/api/catalog',
    );
    await expect(d.getBaseUrl('todo')).resolves.toBe(
      'http://todo:7007/api/todo',
    );
    await expect(d.getExternalBaseUrl('todo')).resolves.toBe(
      'https://dev.example.com/api/todo',
    );
  });

  it('serves endpoint plugins but refuses default URLs when the listen port is random', async () => {
    const d = discovery({
      backend: { listen: { port: 0 } },
      discovery: {
        endpoints: [{ target: 'http://todo/api/todo', plugins: ['todo'] }],
      },
    });
    await expect(d.getBaseUrl('todo')).resolves.toBe('http://todo/api/todo');
    await expect(d.getBaseUrl('catalog')).rejects.toThrow(
      "Cannot build the internal base URL of plugin 'catalog': 'backend.listen.port' is 0, a random port that only the HTTP server knows; set a fixed 'backend.listen.port' or list the plugin in 'discovery.endpoints'.",
    );
    await expect(d.getExternalBaseUrl('catalog')).rejects.toThrow(
      "Cannot build the external base URL of plugin 'catalog': 'backend.listen.port' is 0, a random port that only the HTTP server knows; set 'backend.baseUrl' or list the plugin in 'discovery.endpoints'.",
    );
    await expect(d.getBaseUrl('catalog')).rejects.toMatchObject({
      name: 'ConfigError',
      code: 'CONFIG_DISCOVERY_RANDOM_PORT',
    });
  });

  it('builds external URLs from backend.baseUrl even when the listen port is random', async () => {
    const d = discovery({
      backend: { baseUrl: 'http://example.com', listen: { port: 0 } },
    });
    await expect(d.getExternalBaseUrl('todo')).resolves.toBe(
      'http://example.com/api/todo',
    );
  });

  it('rejects an invalid plugin id passed to getBaseUrl', async () => {
    await expect(discovery({}).getBaseUrl('../admin')).rejects.toThrow(
      "Invalid plugin id '../admin' passed to discovery.getBaseUrl(): use letters, digits and single dashes, starting with a letter, such as 'my-plugin'.",
    );
  });

  it.each([['a--b'], ['a-']])(
    "rejects '%s', which the engine refuses as a plugin id",
    async id => {
      await expect(discovery({}).getBaseUrl(id)).rejects.toThrow(
        `Invalid plugin id '${id}' passed to discovery.getBaseUrl(): use letters, digits and single dashes, starting with a letter, such as 'my-plugin'.`,
      );
    },
  );

  it('rejects an invalid plugin id passed to getExternalBaseUrl', async () => {
    await expect(
      discovery({}).getExternalBaseUrl(undefined as never),
    ).rejects.toThrow(
      "Invalid plugin id undefined passed to discovery.getExternalBaseUrl(): use letters, digits and single dashes, starting with a letter, such as 'my-plugin'.",
    );
  });

  it.each([[70000], [80.5], [-1]])(
    'rejects the listen port %s as the HTTP server does',
    port => {
      const create = () => discovery({ backend: { listen: { port } } });
      expect(create).toThrow(InvalidConfigError);
      expect(create).toThrow(
        `Invalid config at 'backend.listen.port' (mock-config): expected an integer from 0 to 65535 (0 picks a free port), got ${port}.`,
      );
    },
  );

  it('rejects a listen host that is not a string', () => {
    expect(() => discovery({ backend: { listen: { host: 7 } } })).toThrow(
      "Invalid config at 'backend.listen.host' (mock-config): expected a host name or IP address (leave it out to listen on every interface), got 7.",
    );
  });

  it('rejects a backend.baseUrl that is not an http URL', () => {
    expect(() =>
      discovery({ backend: { baseUrl: 'backstage.example.com' } }),
    ).toThrow(
      "Invalid config at 'backend.baseUrl': expected an http or https URL such as 'https://backstage.example.com', got 'backstage.example.com'.",
    );
  });

  it('rejects an endpoint target with another protocol', () => {
    expect(() =>
      discovery({
        discovery: {
          endpoints: [{ target: 'ftp://x/{{pluginId}}', plugins: ['a'] }],
        },
      }),
    ).toThrow(
      "Invalid config at 'discovery.endpoints[0].target': expected an http or https URL such as 'http://catalog:7007/api/{{pluginId}}', got 'ftp://x/{{pluginId}}'.",
    );
  });

  it('rejects an endpoint target object with a bad internal URL', () => {
    expect(() =>
      discovery({
        discovery: {
          endpoints: [{ target: { internal: 7 }, plugins: ['a'] }],
        },
      }),
    ).toThrow(
      "Invalid config at 'discovery.endpoints[0].target.internal': expected an http or https URL such as 'http://catalog:7007/api/{{pluginId}}', got 7.",
    );
  });

  it('rejects an endpoint target object with a bad external URL', () => {
    expect(() =>
      discovery({
        discovery: {
          endpoints: [{ target: { external: 'nope' }, plugins: ['a'] }],
        },
      }),
    ).toThrow(
      "Invalid config at 'discovery.endpoints[0].target.external': expected an http or https URL such as 'http://catalog:7007/api/{{pluginId}}', got 'nope'.",
    );
  });

  it('rejects an endpoint without a usable target', () => {
    expect(() =>
      discovery({
        discovery: {
          endpoints: [
            { target: 'http://a', plugins: ['a'] },
            { target: { interal: 'http://b' }, plugins: ['b'] },
          ],
        },
      }),
    ).toThrow(
      "Invalid config at 'discovery.endpoints[1].target': expected a URL, or an object with 'internal' and/or 'external' URLs, got an object.",
    );
  });

  it('rejects an endpoint with an empty plugin list', () => {
    expect(() =>
      discovery({
        discovery: { endpoints: [{ target: 'http://a', plugins: [] }] },
      }),
    ).toThrow(
      "Invalid config at 'discovery.endpoints[0].plugins': expected at least one plugin id, got an empty list.",
    );
  });

  it('rejects an invalid plugin id in an endpoint', () => {
    expect(() =>
      discovery({
        discovery: {
          endpoints: [{ target: 'http://a', plugins: ['ok', 'Not OK'] }],
        },
      }),
    ).toThrow(
      "Invalid config at 'discovery.endpoints[0].plugins[1]': expected a plugin id of letters, digits and single dashes, starting with a letter, such as 'my-plugin', got 'Not OK'.",
    );
  });

  it("rejects an endpoint plugin id 'a--b', which the engine refuses", () => {
    expect(() =>
      discovery({
        discovery: { endpoints: [{ target: 'http://a', plugins: ['a--b'] }] },
      }),
    ).toThrow(
      "Invalid config at 'discovery.endpoints[0].plugins[0]': expected a plugin id of letters, digits and single dashes, starting with a letter, such as 'my-plugin', got 'a--b'.",
    );
  });

  it('rejects a plugin listed in two endpoints', () => {
    expect(() =>
      discovery({
        discovery: {
          endpoints: [
            { target: 'http://a', plugins: ['catalog'] },
            { target: 'http://b', plugins: ['todo', 'catalog'] },
          ],
        },
      }),
    ).toThrow(
      "Plugin 'catalog' is listed in both 'discovery.endpoints[0].plugins[0]' and 'discovery.endpoints[1].plugins[1]'; list each plugin in one discovery endpoint only.",
    );
    expect(() =>
      discovery({
        discovery: {
          endpoints: [
            { target: 'http://a', plugins: ['catalog'] },
            { target: 'http://b', plugins: ['catalog'] },
          ],
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_DISCOVERY_INVALID' }));
  });
});
