import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mockServices } from '@plinth/backend-test-utils';
import { catalogPlugin } from '@plinth/plugin-catalog-backend';
import { eventually } from './eventually';
import { startPlinthBackend, type PlinthBackend } from './plinthBackend';
import { waitForEntity } from './requests';

// Published Backstage features that use what Plinth's catalog offers the
// rest of the backend: processing errors on the events service, and its
// actions in the actions registry.

const base = 'https://git.example.com/interop';

const component = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: interop-service
  description: Serves the interop suite
spec:
  type: service
  lifecycle: production
  owner: team-a
`;

/** The fields a log line was logged with. */
function metaOf(line: { meta?: unknown }): Record<string, unknown> {
  return (line.meta ?? {}) as Record<string, unknown>;
}

let backend: PlinthBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

describe('catalog-backend-module-logs on Plinth', () => {
  it("logs the processing errors Plinth's catalog publishes on experimental.catalog.errors", async () => {
    const missing = `${base}/missing/catalog-info.yaml`;
    backend = await startPlinthBackend({
      features: [
        catalogPlugin,
        import('@backstage/plugin-catalog-backend-module-logs'),
        mockServices.urlReader.factory({}),
      ],
      config: {
        catalog: {
          rules: [{ allow: ['Component', 'Location'] }],
          locations: [{ type: 'url', target: missing }],
        },
      },
    });
    const { logger } = backend;
    // The module logs each error as a warning of the catalog plugin with
    // exactly the entity ref and location of the event as its fields, which
    // tells its lines from the catalog's own.
    const fromModule = () =>
      logger.lines.filter(
        line =>
          line.level === 'warn' &&
          line.fields.plugin === 'catalog' &&
          Object.keys(metaOf(line)).sort().join() === 'entity,location',
      );
    const [line] = await eventually(
      async () => fromModule(),
      lines => lines.length > 0,
      `catalog-backend-module-logs logs the failure to read ${missing}`,
    ).catch((error: Error) => {
      const warnings = logger.lines
        .filter(l => l.level === 'warn' || l.level === 'error')
        .map(l => ({ message: l.message, fields: l.fields, meta: l.meta }));
      throw new Error(
        `${error.message}\nWarnings and errors logged: ${JSON.stringify(warnings, null, 2)}`,
      );
    });
    expect(line.message).toContain(missing);
    // The event names the Location entity made for the config location and
    // the location it came from, as Backstage's catalog publishes them.
    expect(metaOf(line)).toEqual({
      entity: expect.stringMatching(/^location:default\/generated-[0-9a-f]+$/),
      location: `url:${missing}`,
    });
  });
});

describe('plugin-mcp-actions-backend on Plinth', () => {
  it("lists Plinth's catalog actions as MCP tools and calls one", async () => {
    backend = await startPlinthBackend({
      features: [
        catalogPlugin,
        import('@backstage/plugin-mcp-actions-backend'),
        mockServices.urlReader.factory({
          [`${base}/catalog-info.yaml`]: component,
        }),
      ],
      config: {
        // As on Backstage, the actions service lists only the plugins named
        // here.
        backend: { actions: { pluginSources: ['catalog'] } },
        catalog: {
          rules: [{ allow: ['Component', 'Location'] }],
          locations: [{ type: 'url', target: `${base}/catalog-info.yaml` }],
        },
      },
    });
    const entity = await waitForEntity(
      backend.origin,
      'component:default/interop-service',
      { logs: backend.logger.lines },
    );

    const client = new Client({ name: 'plinth-interop', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`${backend.origin}/api/mcp-actions/v1`),
      ),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map(tool => tool.name)).toEqual(
        expect.arrayContaining([
          'catalog.get-catalog-entity',
          'catalog.query-catalog-entities',
        ]),
      );
      const getEntity = tools.find(
        tool => tool.name === 'catalog.get-catalog-entity',
      );
      expect(getEntity?.inputSchema).toMatchObject({
        type: 'object',
        properties: { name: expect.objectContaining({ type: 'string' }) },
      });

      const result = await client.callTool({
        name: 'catalog.get-catalog-entity',
        arguments: { kind: 'Component', name: 'interop-service' },
      });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        kind: 'Component',
        metadata: {
          name: 'interop-service',
          description: 'Serves the interop suite',
          uid: entity.metadata.uid,
        },
      });
    } finally {
      await client.close();
    }
  });
});
