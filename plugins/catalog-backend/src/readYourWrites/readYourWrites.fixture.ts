import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type BackendFeature,
  type UrlReaderServiceReadUrlOptions,
  type UrlReaderServiceReadUrlResponse,
} from '@plinth/backend-plugin-api';
import {
  MockUrlReader,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import {
  catalogProcessingExtensionPoint,
  type EntityProviderConnection,
} from '@plinth/plugin-catalog-node';
import type { JsonObject } from '@plinth/errors';
import type { Knex } from 'knex';
import { catalogPlugin } from '../plugin';

export const base = 'https://git.example.com/rw';
export const authorization = mockCredentials.user.header('user:default/jane');

/** A component as a catalog file holds it. */
export function componentYaml(name: string, description = 'first'): string {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  description: ${description}
spec:
  type: service
  lifecycle: production
  owner: team-a
`;
}

/** A Location entity pointing at `targets`, relative to its own file. */
export function locationYaml(name: string, targets: string[]): string {
  return `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: ${name}
spec:
  targets: [${targets.join(', ')}]
`;
}

/**
 * A mock URL reader whose reads of a URL can be held back, to keep
 * processing from finishing while a test looks at a wait in progress.
 */
export class GatedUrlReader extends MockUrlReader {
  readonly #gates = new Map<string, Promise<void>>();

  /** Holds back reads of `url` until the returned function is called. */
  hold(url: string): () => void {
    let open = () => {};
    this.#gates.set(
      url,
      new Promise<void>(resolve => {
        open = resolve;
      }),
    );
    return () => {
      this.#gates.delete(url);
      open();
    };
  }

  override async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    await this.#gates.get(url);
    return super.readUrl(url, options);
  }
}

/**
 * Starts the catalog on `knex` with the reader, an entity provider named
 * `test-provider` whose connection the result holds, and
 * `catalog.readYourWrites` set to `readYourWrites`.
 */
export async function startReadYourWritesCatalog(options: {
  knex: Knex;
  reader: MockUrlReader;
  readYourWrites: JsonObject;
  /** More features, such as a permissions service. */
  features?: BackendFeature[];
}) {
  const provider: { connection?: EntityProviderConnection } = {};
  const providerModule = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-provider',
    register(env) {
      env.registerInit({
        deps: { processing: catalogProcessingExtensionPoint },
        async init({ processing }) {
          processing.addEntityProvider({
            getProviderName: () => 'test-provider',
            async connect(connection) {
              provider.connection = connection;
            },
          });
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      providerModule,
      ...(options.features ?? []),
      mockServices.database.factory({ knex: options.knex }),
      createServiceFactory({
        service: coreServices.urlReader,
        deps: {},
        factory: () => options.reader,
      }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [{ allow: ['Component', 'Group', 'Location'] }],
            readYourWrites: options.readYourWrites,
          },
        },
      }),
    ],
  });
  const connection = provider.connection;
  if (!connection) {
    throw new Error('The test provider was not connected at start-up.');
  }
  const { port } = backend.server.address() as { port: number };
  return { backend, connection, origin: `http://127.0.0.1:${port}` };
}
