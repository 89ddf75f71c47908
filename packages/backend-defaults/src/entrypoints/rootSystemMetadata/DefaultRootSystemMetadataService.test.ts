import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  type JsonObject,
  type RootSystemMetadataService,
} from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import { DefaultRootSystemMetadataService } from './DefaultRootSystemMetadataService';
import { rootSystemMetadataServiceFactory } from './rootSystemMetadataServiceFactory';

function systemOf(data: JsonObject, pluginIds: string[]) {
  return DefaultRootSystemMetadataService.create({
    config: mockServices.rootConfig({ data }),
    instanceMetadata: {
      getId: () => 'instance-1',
      getInstalledPlugins: async () =>
        pluginIds.map(pluginId => ({ pluginId, modules: [] })),
    },
  });
}

describe('DefaultRootSystemMetadataService', () => {
  it("hosts this instance's plugins at its own base URLs", async () => {
    const system = systemOf(
      {
        backend: {
          baseUrl: 'https://backstage.example.com',
          listen: { port: 7010 },
        },
      },
      ['catalog', 'todo'],
    );
    await expect(system.getInstalledPlugins()).resolves.toEqual([
      {
        pluginId: 'catalog',
        hosts: [
          {
            internal: 'http://localhost:7010/api/catalog',
            external: 'https://backstage.example.com/api/catalog',
          },
        ],
      },
      {
        pluginId: 'todo',
        hosts: [
          {
            internal: 'http://localhost:7010/api/todo',
            external: 'https://backstage.example.com/api/todo',
          },
        ],
      },
    ]);
  });

  it('adds the plugins discovery.endpoints places on other instances, with their URLs', async () => {
    const system = systemOf(
      {
        backend: { listen: { port: 7007 } },
        discovery: {
          endpoints: [
            {
              target: 'http://search:7007/api/{{pluginId}}',
              plugins: ['search', 'catalog'],
            },
            {
              target: { internal: 'http://scaffolder.internal/api/scaffolder' },
              plugins: ['scaffolder'],
            },
          ],
        },
      },
      ['catalog'],
    );
    await expect(system.getInstalledPlugins()).resolves.toEqual([
      {
        pluginId: 'catalog',
        hosts: [
          {
            internal: 'http://localhost:7007/api/catalog',
            external: 'http://localhost:7007/api/catalog',
          },
          {
            internal: 'http://search:7007/api/catalog',
            external: 'http://search:7007/api/catalog',
          },
        ],
      },
      {
        pluginId: 'search',
        hosts: [
          {
            internal: 'http://search:7007/api/search',
            external: 'http://search:7007/api/search',
          },
        ],
      },
      {
        pluginId: 'scaffolder',
        hosts: [
          {
            internal: 'http://scaffolder.internal/api/scaffolder',
            external: 'http://localhost:7007/api/scaffolder',
          },
        ],
      },
    ]);
  });

  it('lists plugins without hosts when this instance listens on a random port without a base URL', async () => {
    const system = systemOf({ backend: { listen: { port: 0 } } }, ['todo']);
    await expect(system.getInstalledPlugins()).resolves.toEqual([
      { pluginId: 'todo', hosts: [] },
    ]);
  });
});

describe('rootSystemMetadataServiceFactory', () => {
  it('reports the plugins the backend installed', async () => {
    let system: RootSystemMetadataService | undefined;
    const plugin = (pluginId: string) =>
      createBackendPlugin({
        pluginId,
        register(env) {
          env.registerInit({
            deps: { system: coreServices.rootSystemMetadata },
            async init(deps) {
              system = deps.system;
            },
          });
        },
      });
    const backend = await startTestBackend({
      features: [
        rootSystemMetadataServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://b.example', listen: { port: 7020 } },
          },
        }),
        plugin('alpha'),
        plugin('beta'),
        createBackendModule({
          pluginId: 'beta',
          moduleId: 'extra',
          register(env) {
            env.registerInit({ deps: {}, async init() {} });
          },
        }),
      ],
    });
    const plugins = await system!.getInstalledPlugins();
    await backend.stop();
    expect(plugins.map(p => [p.pluginId, p.hosts])).toEqual([
      [
        'alpha',
        [
          {
            internal: 'http://localhost:7020/api/alpha',
            external: 'http://b.example/api/alpha',
          },
        ],
      ],
      [
        'beta',
        [
          {
            internal: 'http://localhost:7020/api/beta',
            external: 'http://b.example/api/beta',
          },
        ],
      ],
    ]);
  });
});
