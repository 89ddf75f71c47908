import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { actionsRegistryServiceRef } from '@plinth/backend-plugin-api/alpha';
import {
  MockUrlReader,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import { MockActionsRegistry } from '@plinth/backend-test-utils/alpha';
import { catalogPlugin } from '../plugin';

const base = 'https://git.example.com/acme';
const registry = MockActionsRegistry.create();
const credentials = mockCredentials.user('user:default/jane');
let backend: Awaited<ReturnType<typeof startTestBackend>>;

const component = (name: string, type: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: ${name} }\nspec: { type: ${type}, lifecycle: production, owner: team-a }\n`;

beforeAll(async () => {
  backend = await startTestBackend({
    features: [
      catalogPlugin,
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => registry,
      }),
      createServiceFactory({
        service: coreServices.urlReader,
        deps: {},
        factory: () =>
          new MockUrlReader({
            [`${base}/all.yaml`]: `${component('cart', 'service')}---\n${component('shop', 'website')}`,
            [`${base}/more.yaml`]: component('more', 'library'),
          }),
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost' },
          catalog: {
            rules: [{ allow: ['Component', 'Location'] }],
            locations: [{ type: 'url', target: `${base}/all.yaml` }],
          },
        },
      }),
    ],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { output } = await registry.invoke({
      id: 'test:query-catalog-entities',
      input: { query: { kind: 'component' } },
      credentials,
    });
    if ((output as { totalItems: number }).totalItems === 2) {
      break;
    }
    if (Date.now() > deadline) {
      throw new Error('Timed out waiting for the fixture entities');
    }
    await new Promise(done => setTimeout(done, 50));
  }
}, 90_000);

afterAll(() => backend?.stop());

describe('createCatalogActions', () => {
  it('registers the actions under the names Backstage gives them', async () => {
    const { actions } = await registry.list();
    expect(actions.map(action => action.name).sort()).toEqual([
      'get-catalog-entity',
      'query-catalog-entities',
      'register-entity',
      'validate-entity',
    ]);
  });

  it('gets one entity by name with the caller credentials', async () => {
    const { output } = await registry.invoke({
      id: 'test:get-catalog-entity',
      input: { name: 'cart' },
      credentials,
    });
    expect(output).toMatchObject({
      kind: 'Component',
      metadata: { name: 'cart' },
    });
  });

  it('says which entity it cannot find', async () => {
    await expect(
      registry.invoke({
        id: 'test:get-catalog-entity',
        input: { name: 'missing' },
        credentials,
      }),
    ).rejects.toThrow('No entity found with name "missing"');
  });

  it('queries entities with predicates, fields and pages', async () => {
    const { output } = await registry.invoke({
      id: 'test:query-catalog-entities',
      input: {
        query: {
          $all: [
            { kind: 'Component' },
            { $any: [{ 'spec.type': 'website' }, { 'spec.type': 'service' }] },
          ],
          'metadata.name': { $in: ['cart', 'shop'] },
        },
        fields: ['metadata.name'],
        orderFields: { field: 'metadata.name', order: 'asc' },
        limit: 1,
      },
      credentials,
    });
    expect(output).toEqual({
      items: [{ metadata: { name: 'cart' } }],
      totalItems: 2,
      hasMoreEntities: true,
      nextPageCursor: expect.any(String),
    });
  });

  it('refuses a predicate operator the catalog filter cannot express, by name', async () => {
    await expect(
      registry.invoke({
        id: 'test:query-catalog-entities',
        input: { query: { $not: { kind: 'Group' } } },
        credentials,
      }),
    ).rejects.toThrow(
      "Invalid query for 'query-catalog-entities': 'query.$not' is not supported; use '$all', '$any', '$exists', '$in'.",
    );
  });

  it('validates entity YAML and reports the rules it breaks', async () => {
    const valid = await registry.invoke({
      id: 'test:validate-entity',
      input: { entity: component('new', 'service') },
      credentials,
    });
    expect(valid.output).toMatchObject({
      isValid: true,
      isValidYaml: true,
      errors: [],
    });
    const invalid = await registry.invoke({
      id: 'test:validate-entity',
      input: { entity: 'kind: Component\nmetadata: { name: "not valid!" }\n' },
      credentials,
    });
    expect(invalid.output).toMatchObject({ isValid: false, isValidYaml: true });
    const notYaml = await registry.invoke({
      id: 'test:validate-entity',
      input: { entity: 'kind: [' },
      credentials,
    });
    expect(notYaml.output).toMatchObject({
      isValid: false,
      isValidYaml: false,
    });
  });

  it('registers a url location, and refuses what the API refuses', async () => {
    const { output } = await registry.invoke({
      id: 'test:register-entity',
      input: { locationUrl: `${base}/more.yaml` },
      credentials,
    });
    expect(output).toEqual({ locationId: expect.any(String) });
    await expect(
      registry.invoke({
        id: 'test:register-entity',
        input: { locationUrl: 'file:///etc/passwd' },
        credentials,
      }),
    ).rejects.toThrow(
      /failed with 400, InputError: Invalid location 'url:file:\/\/\/etc\/passwd' in the request: its scheme 'file:' is not 'http:' or 'https:', the only ones a 'url' location may have\.$/,
    );
  });
});
