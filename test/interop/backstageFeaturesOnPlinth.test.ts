import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  eventsServiceRef,
  type EventParams,
} from '@backstage/plugin-events-node';
import { mockServices } from '@plinth/backend-test-utils';
import { catalogPlugin } from '@plinth/plugin-catalog-backend';
import express from 'express';
import { eventually } from './eventually';
import { startFixtureServer, type FixtureServer } from './fixtureServer';
import { startPlinthBackend, type PlinthBackend } from './plinthBackend';
import { send, sendJson, waitForEntity } from './requests';

// Published Backstage plugins and modules, and ones written here against
// Backstage's own packages, running on a Plinth backend with Plinth's
// catalog. Each case starts its own backend, so one failure says which
// feature broke.

const base = 'https://git.example.com/interop';

const catalogRules = [
  { allow: ['Component', 'API', 'Location', 'Template', 'Group', 'System'] },
];

/** The catalog config of a Plinth backend reading `targets` from `files`. */
function catalogAt(targets: string[]) {
  return {
    catalog: {
      rules: catalogRules,
      locations: targets.map(target => ({ type: 'url', target })),
    },
  };
}

let backend: PlinthBackend | undefined;
let fixtures: FixtureServer | undefined;
afterEach(async () => {
  await backend?.stop();
  await fixtures?.close();
  backend = undefined;
  fixtures = undefined;
});

describe('a hand-written Backstage plugin on Plinth', () => {
  /** Parses its own bodies with express 4, as Backstage leaves that to plugins. */
  const notesPlugin = createBackendPlugin({
    pluginId: 'interop-notes',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          const router = express.Router();
          router.use(express.json());
          const notes: unknown[] = [];
          router.post('/notes', (req, res) => {
            notes.push(req.body);
            res.status(201).json({ received: req.body, count: notes.length });
          });
          router.get('/notes', (_req, res) => {
            res.json(notes);
          });
          router.post('/raw', express.raw({ type: '*/*' }), (req, res) => {
            const body = req.body as Buffer;
            res.json({ bytes: body.length, text: body.toString('utf8') });
          });
          httpRouter.use(router);
        },
      });
    },
  });

  it('serves POST routes that parse JSON with express.json()', async () => {
    backend = await startPlinthBackend({ features: [notesPlugin] });
    const note = { title: 'Bring the pets', tags: ['a', 'b'] };
    await expect(
      sendJson(`${backend.origin}/api/interop-notes/notes`, note),
    ).resolves.toEqual({ status: 201, body: { received: note, count: 1 } });
    await expect(
      send(`${backend.origin}/api/interop-notes/notes`),
    ).resolves.toEqual({ status: 200, body: [note] });
  });

  it('serves POST routes that read the raw body with express.raw()', async () => {
    backend = await startPlinthBackend({ features: [notesPlugin] });
    await expect(
      send(`${backend.origin}/api/interop-notes/raw`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: 'plain bytes',
      }),
    ).resolves.toEqual({
      status: 200,
      body: { bytes: 11, text: 'plain bytes' },
    });
  });

  it("runs a processor a Backstage module adds through catalogProcessingExtensionPoint in Plinth's catalog", async () => {
    const annotateModule = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'interop-annotate',
      register(env) {
        env.registerInit({
          deps: { processing: catalogProcessingExtensionPoint },
          async init({ processing }) {
            processing.addProcessor({
              getProcessorName: () => 'InteropAnnotateProcessor',
              async preProcessEntity(entity: Entity) {
                return {
                  ...entity,
                  metadata: {
                    ...entity.metadata,
                    annotations: {
                      ...entity.metadata.annotations,
                      'interop.example.com/processed-by': 'backstage-module',
                    },
                  },
                };
              },
            });
          },
        });
      },
    });
    backend = await startPlinthBackend({
      features: [
        catalogPlugin,
        annotateModule,
        mockServices.urlReader.factory({
          [`${base}/catalog-info.yaml`]: `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: interop-service
spec:
  type: service
  lifecycle: production
  owner: team-a
`,
        }),
      ],
      config: catalogAt([`${base}/catalog-info.yaml`]),
    });
    const entity = await waitForEntity(
      backend.origin,
      'component:default/interop-service',
      {
        logs: backend.logger.lines,
      },
    );
    expect(entity.metadata.annotations).toMatchObject({
      'interop.example.com/processed-by': 'backstage-module',
    });
  });
});

describe('catalog-backend-module-scaffolder-entity-model on Plinth', () => {
  it("lets Plinth's catalog accept a Template entity", async () => {
    backend = await startPlinthBackend({
      features: [
        catalogPlugin,
        import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
        mockServices.urlReader.factory({
          [`${base}/template.yaml`]: `
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: interop-template
  title: Interop template
spec:
  type: service
  owner: team-a
  parameters: []
  steps:
    - id: log
      action: debug:log
      input: { message: hello }
`,
        }),
      ],
      config: catalogAt([`${base}/template.yaml`]),
    });
    const template = await waitForEntity(
      backend.origin,
      'template:default/interop-template',
      {
        logs: backend.logger.lines,
      },
    );
    expect(template).toMatchObject({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      spec: { type: 'service', owner: 'team-a' },
    });
    expect(template.relations).toEqual(
      expect.arrayContaining([
        { type: 'ownedBy', targetRef: 'group:default/team-a' },
      ]),
    );
  });
});

describe('catalog-backend-module-openapi on Plinth', () => {
  it('resolves an $openapi placeholder, bundling the file it references', async () => {
    backend = await startPlinthBackend({
      features: [
        catalogPlugin,
        import('@backstage/plugin-catalog-backend-module-openapi'),
        mockServices.urlReader.factory({
          [`${base}/api.yaml`]: `
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: petstore-api
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition:
    $openapi: ./openapi/petstore.yaml
`,
          [`${base}/openapi/petstore.yaml`]: `
openapi: 3.0.0
info: { title: Petstore, version: 1.0.0 }
paths:
  /pets:
    get:
      responses:
        '200':
          description: The pets
          content:
            application/json:
              schema: { $ref: './schemas.yaml#/Pet' }
`,
          [`${base}/openapi/schemas.yaml`]: `
Pet:
  type: object
  properties:
    name: { type: string }
`,
        }),
      ],
      config: catalogAt([`${base}/api.yaml`]),
    });
    const api = await waitForEntity(
      backend.origin,
      'api:default/petstore-api',
      {
        logs: backend.logger.lines,
      },
    );
    const definition = api.spec?.definition;
    expect(typeof definition).toBe('string');
    expect(definition).toContain('title: Petstore');
    // The $ref into schemas.yaml is bundled into the definition.
    expect(definition).toContain('type: object');
    expect(definition).toContain('name:');
    expect(definition).not.toContain('./schemas.yaml');
  });
});

describe('plugin-proxy-backend on Plinth', () => {
  it('proxies GET and POST requests with their bodies to a local HTTP server', async () => {
    fixtures = await startFixtureServer();
    backend = await startPlinthBackend({
      features: [import('@backstage/plugin-proxy-backend')],
      config: {
        proxy: {
          endpoints: {
            '/fixture': {
              target: `${fixtures.origin}/echo`,
              credentials: 'dangerously-allow-unauthenticated',
            },
          },
        },
      },
    });
    await expect(
      send(`${backend.origin}/api/proxy/fixture/pets?kind=cat`),
    ).resolves.toMatchObject({
      status: 200,
      body: { method: 'GET', url: '/echo/pets?kind=cat' },
    });
    await expect(
      sendJson(`${backend.origin}/api/proxy/fixture/pets`, { name: 'Rex' }),
    ).resolves.toMatchObject({
      status: 200,
      body: { method: 'POST', url: '/echo/pets', body: '{"name":"Rex"}' },
    });
  });
});

describe('plugin-events-backend on Plinth', () => {
  it('delivers an event posted to its HTTP ingress to a subscriber', async () => {
    const received: EventParams[] = [];
    const subscriberPlugin = createBackendPlugin({
      pluginId: 'interop-subscriber',
      register(env) {
        env.registerInit({
          deps: { events: eventsServiceRef },
          async init({ events }) {
            await events.subscribe({
              id: 'interop-subscriber',
              topics: ['interop-topic'],
              async onEvent(event) {
                received.push(event);
              },
            });
          },
        });
      },
    });
    backend = await startPlinthBackend({
      features: [import('@backstage/plugin-events-backend'), subscriberPlugin],
      config: { events: { http: { topics: ['interop-topic'] } } },
    });
    await expect(
      sendJson(`${backend.origin}/api/events/http/interop-topic`, {
        pet: 'Rex',
        action: 'adopted',
      }),
    ).resolves.toMatchObject({ status: 202 });
    const [event] = await eventually(
      async () => received,
      events => events.length > 0,
      'the subscriber receives the posted event',
    );
    expect(event).toMatchObject({
      topic: 'interop-topic',
      eventPayload: { pet: 'Rex', action: 'adopted' },
    });
  });
});
