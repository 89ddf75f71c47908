import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type BackendFeature,
} from '@plinth/backend-plugin-api';
import {
  MockUrlReader,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import {
  catalogAnalysisExtensionPoint,
  processingResult,
  type CatalogModelLayer,
  type CatalogModelSource,
  type CatalogProcessorParser,
  type LocationAnalyzer,
  type ScmLocationAnalyzer,
} from '@plinth/plugin-catalog-node';
import { catalogModelExtensionPoint } from '@plinth/plugin-catalog-node/alpha';
import request from 'supertest';
import { catalogPlugin } from './plugin';

const base = 'https://git.example.com/acme';
const authorization = mockCredentials.user.header('user:default/jane');

/** Reads location files as JSON arrays of entities. */
const jsonParser: CatalogProcessorParser = async function* ({
  data,
  location,
}) {
  for (const entity of JSON.parse(data.toString('utf8')) as Entity[]) {
    yield processingResult.entity(location, entity);
  }
};

const templateLayer: CatalogModelLayer = {
  layerId: 'example.com/kind-template',
  kindSchemas: [
    {
      schema: {
        type: 'object',
        required: ['spec'],
        properties: {
          kind: { enum: ['Template'] },
          spec: {
            type: 'object',
            required: ['steps'],
            properties: { steps: { type: 'array' } },
          },
        },
      },
    },
  ],
};

/** Components must say which tier they are in. */
const tierLayer: CatalogModelLayer = {
  layerId: 'example.com/component-tier',
  kindSchemas: [
    {
      schema: {
        type: 'object',
        properties: {
          kind: { enum: ['Component'] },
          spec: {
            type: 'object',
            required: ['tier'],
            properties: { tier: { enum: ['gold', 'silver'] } },
          },
        },
      },
    },
  ],
};

function sourceOf(...layers: unknown[]): CatalogModelSource {
  return {
    async *read() {
      yield {
        data: layers.map(layer => ({ layer: layer as CatalogModelLayer })),
      };
    },
  };
}

function catalogModule(
  moduleId: string,
  init: (points: {
    model: typeof catalogModelExtensionPoint.T;
    analysis: typeof catalogAnalysisExtensionPoint.T;
  }) => void,
): BackendFeature {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId,
    register(env) {
      env.registerInit({
        deps: {
          model: catalogModelExtensionPoint,
          analysis: catalogAnalysisExtensionPoint,
        },
        async init(points) {
          init(points);
        },
      });
    },
  });
}

async function startCatalog(
  modules: BackendFeature[],
  files: Record<string, string> = {},
) {
  return startTestBackend({
    features: [
      catalogPlugin,
      ...modules,
      createServiceFactory({
        service: coreServices.urlReader,
        deps: {},
        factory: () => new MockUrlReader(files),
      }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [{ allow: ['Component', 'Template', 'Location'] }],
            locations: [{ type: 'url', target: `${base}/entities.json` }],
          },
        },
      }),
    ],
  });
}

async function eventuallyServed(
  server: Parameters<typeof request>[0],
  ref: string,
): Promise<Entity> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-name/${ref}`)
      .set('authorization', authorization);
    if (res.status === 200) {
      return res.body as Entity;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for '${ref}': ${res.status}`);
    }
    await new Promise(done => setTimeout(done, 50));
  }
}

const component = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a', ...spec },
});

describe('catalogPlugin', () => {
  describe('catalog.model', () => {
    it('reads location files with the entity data parser a module sets and checks the kinds its model sources add', async () => {
      const backend = await startCatalog(
        [
          catalogModule('json-entities', ({ model }) => {
            model.setEntityDataParser(jsonParser);
            model.addModelSource(sourceOf(templateLayer, tierLayer));
          }),
        ],
        {
          [`${base}/entities.json`]: JSON.stringify([
            {
              apiVersion: 'scaffolder.example.com/v1',
              kind: 'Template',
              metadata: { name: 'new-service' },
              spec: { steps: [] },
            },
            component('cart', { tier: 'gold' }),
          ]),
        },
      );
      try {
        const template = await eventuallyServed(
          backend.server,
          'template/default/new-service',
        );
        expect(template.spec).toEqual({ steps: [] });
        const cart = await eventuallyServed(
          backend.server,
          'component/default/cart',
        );
        expect(cart.spec?.tier).toBe('gold');

        const refused = await request(backend.server)
          .post('/api/catalog/validate-entity')
          .set('authorization', authorization)
          .send({
            entity: component('checkout', { tier: 'bronze' }),
            location: `url:${base}/checkout.yaml`,
          });
        expect(refused.status).toBe(400);
        expect(refused.body.errors).toEqual([
          {
            name: 'EntityValidationError',
            field: 'spec.tier',
            message:
              "Invalid entity 'component:default/checkout': 'spec.tier' must be one of 'gold', 'silver', got a string of 6 characters.",
          },
        ]);
      } finally {
        await backend.stop();
      }
    }, 90_000);

    it('refuses a second entity data parser at start', async () => {
      const setParser = (id: string) =>
        catalogModule(id, ({ model }) => model.setEntityDataParser(jsonParser));
      await expect(
        startCatalog([setParser('first'), setParser('second')]),
      ).rejects.toThrow(
        'An entity data parser for the catalog was set twice; only one module may replace the parser of location files, so remove one of them.',
      );
    });

    it('refuses a model layer made by Backstage, saying what to give instead', async () => {
      const backstageLayer = {
        $$type: '@backstage/CatalogModelLayer',
        version: 'v1',
        layerId: 'catalog.backstage.io/kind-template',
      };
      await expect(
        startCatalog([
          catalogModule('backstage-layer', ({ model }) =>
            model.addModelSource(sourceOf(backstageLayer)),
          ),
        ]),
      ).rejects.toThrow(
        "Catalog model layer 'catalog.backstage.io/kind-template' was made by Backstage's createCatalogModelLayer, whose compiled definitions only Backstage's catalog reads; give Plinth's catalog a layer of kind schemas, { layerId, kindSchemas: [{ schema }] }, or add the schemas with addEntitySchema.",
      );
    });

    it('refuses two different layers with one id', async () => {
      await expect(
        startCatalog([
          catalogModule('clashing-layers', ({ model }) =>
            model.addModelSource(
              sourceOf(templateLayer, {
                ...tierLayer,
                layerId: templateLayer.layerId,
              }),
            ),
          ),
        ]),
      ).rejects.toThrow(
        "Two different catalog model layers have the id 'example.com/kind-template'; a layer id names one layer, so give one of them another id.",
      );
    });
  });

  describe('catalog.analysis', () => {
    const scmAnalyzer: ScmLocationAnalyzer = {
      supports: url => url.startsWith(base),
      analyze: async () => ({ existing: [] }),
    };

    it('answers POST /analyze-location with the analyzer a module sets, built from the SCM analyzers and given the caller', async () => {
      const seen: unknown[] = [];
      const backend = await startCatalog([
        catalogModule('scm', ({ analysis }) =>
          analysis.addScmLocationAnalyzer(scmAnalyzer),
        ),
        catalogModule('custom-analyzer', ({ analysis }) =>
          analysis.setLocationAnalyzer(async ({ scmLocationAnalyzers }) => {
            const locationAnalyzer: LocationAnalyzer = {
              async analyzeLocation(location, credentials) {
                seen.push(credentials.principal);
                return {
                  existingEntityFiles: [],
                  generateEntities: [
                    {
                      entity: { kind: 'Component' },
                      fields: [
                        {
                          field: 'metadata.name',
                          state: 'analysisSuggestedValue',
                          value: `scm-analyzers-${scmLocationAnalyzers.length}`,
                          description: location.location.target,
                        },
                      ],
                    },
                  ],
                };
              },
            };
            return { locationAnalyzer };
          }),
        ),
      ]);
      try {
        const res = await request(backend.server)
          .post('/api/catalog/analyze-location')
          .set('authorization', authorization)
          .send({ location: { type: 'url', target: `${base}/cart` } });
        expect(res.status).toBe(200);
        expect(res.body.generateEntities[0].fields[0]).toEqual({
          field: 'metadata.name',
          state: 'analysisSuggestedValue',
          value: 'scm-analyzers-1',
          description: `${base}/cart`,
        });
        expect(seen).toEqual([
          { type: 'user', userEntityRef: 'user:default/jane' },
        ]);
      } finally {
        await backend.stop();
      }
    });

    it('refuses a second location analyzer at start', async () => {
      const analyzer: LocationAnalyzer = {
        analyzeLocation: async () => ({
          existingEntityFiles: [],
          generateEntities: [],
        }),
      };
      await expect(
        startCatalog([
          catalogModule('first', ({ analysis }) =>
            analysis.setLocationAnalyzer(analyzer),
          ),
          catalogModule('second', ({ analysis }) =>
            analysis.setLocationAnalyzer(analyzer),
          ),
        ]),
      ).rejects.toThrow(
        "A location analyzer for the catalog was set twice; only one module may replace the analyzer behind 'POST /analyze-location', so remove one of them.",
      );
    });

    it('names the extension point when the analyzer factory fails', async () => {
      await expect(
        startCatalog([
          catalogModule('failing-analyzer', ({ analysis }) =>
            analysis.setLocationAnalyzer(async () => {
              throw new Error('no token for the code host');
            }),
          ),
        ]),
      ).rejects.toThrow(
        [
          "caused by Error: The location analyzer factory that a catalog module set through 'catalog.analysis' failed",
          '    caused by Error: no token for the code host',
        ].join('\n'),
      );
    });
  });
});
