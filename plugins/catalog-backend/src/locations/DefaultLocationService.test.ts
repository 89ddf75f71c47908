import { InputError } from '@plinth/errors';
import path from 'node:path';
import {
  MockLoggerService,
  MockUrlReader,
  TestDatabases,
  mockServices,
} from '@plinth/backend-test-utils';
import { createEntityValidator, type JsonObject } from '@plinth/catalog-model';
import {
  ConfigFileReader,
  defaultEntityDataParser,
  type EntityProviderMutation,
} from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { DefaultCatalogProcessingOrchestrator } from '../processing/DefaultCatalogProcessingOrchestrator';
import { AnnotateLocationEntityProcessor } from '../processors/AnnotateLocationEntityProcessor';
import { BuiltinKindsEntityProcessor } from '../processors/BuiltinKindsEntityProcessor';
import { FileReaderProcessor } from '../processors/FileReaderProcessor';
import { UrlReaderProcessor } from '../processors/UrlReaderProcessor';
import { DefaultCatalogRulesEnforcer } from '../processing/DefaultCatalogRulesEnforcer';
import { DefaultLocationService } from './DefaultLocationService';
import { LocationStore } from './LocationStore';
import { locationSpecToLocationEntity } from './locationSpecToLocationEntity';

const databases = TestDatabases.create({ ids: ['PGLITE'] });

const base = 'https://git.example.com/acme/shop/blob/main/';
const component = (name: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n`;
const files: Record<string, string> = {
  [`${base}catalog-info.yaml`]: `${component('cart')}---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: more\nspec:\n  targets: [./more.yaml]\n`,
  [`${base}more.yaml`]: component('checkout'),
  [`${base}dupe-a.yaml`]: `${component('cart')}---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: dupe\nspec:\n  target: ./dupe-b.yaml\n`,
  [`${base}dupe-b.yaml`]: component('cart'),
  [`${base}broken.yaml`]: 'kind: [\n---\nkind: [\n',
};

describe('DefaultLocationService', () => {
  let knex: Knex;
  let store: LocationStore;
  let mutations: EntityProviderMutation[];

  beforeAll(async () => {
    knex = await databases.init('PGLITE');
    await applyDatabaseMigrations(knex);
  });

  beforeEach(async () => {
    await knex('locations').delete();
    mutations = [];
    store = new LocationStore({ knex });
    await store.connect({
      applyMutation: async mutation => {
        mutations.push(mutation);
      },
      refresh: async () => {},
    });
  });

  function service(
    options: {
      config?: JsonObject;
      allowedLocationTypes?: string[];
      maxDryRunEntities?: number;
      reader?: MockUrlReader;
    } = {},
  ): DefaultLocationService {
    const config = mockServices.rootConfig({ data: options.config ?? {} });
    const reader = options.reader ?? new MockUrlReader(files);
    return new DefaultLocationService({
      store,
      config,
      allowedLocationTypes: options.allowedLocationTypes,
      maxDryRunEntities: options.maxDryRunEntities,
      orchestrator: new DefaultCatalogProcessingOrchestrator({
        processors: [
          new FileReaderProcessor({
            files: ConfigFileReader.fromConfig({ config, reader }),
          }),
          new UrlReaderProcessor({ reader }),
          new AnnotateLocationEntityProcessor(),
          new BuiltinKindsEntityProcessor(),
        ],
        rulesEnforcer: DefaultCatalogRulesEnforcer.fromConfig(config),
        validator: createEntityValidator(),
        parser: defaultEntityDataParser,
        logger: MockLoggerService.create(),
      }),
    });
  }

  it('registers a location through the store', async () => {
    const spec = { type: 'url', target: `${base}catalog-info.yaml` };
    const result = await service().createLocation(spec, false);
    expect(result).toEqual({
      location: { id: expect.any(String), ...spec },
      entities: [],
    });
    await expect(service().listLocations()).resolves.toEqual([result.location]);
    await expect(service().getLocation(result.location.id)).resolves.toEqual(
      result.location,
    );
    expect(mutations[1]).toEqual({
      type: 'delta',
      added: [locationSpecToLocationEntity(spec)],
      removed: [],
    });
    await service().deleteLocation(result.location.id);
    await expect(service().listLocations()).resolves.toEqual([]);
  });

  it('asks the store for the location of an entity', async () => {
    await expect(
      service().getLocationByEntity({
        kind: 'Component',
        namespace: 'default',
        name: 'x',
      }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message:
        "No entity 'component:default/x' exists in the catalog. Check the kind, namespace and name.",
    });
  });

  it('stores a file target as an absolute path', async () => {
    const { location } = await service({
      allowedLocationTypes: ['file', 'url'],
    }).createLocation({ type: 'file', target: 'examples/all.yaml' }, false);
    expect(location.target).toBe(path.resolve('examples/all.yaml'));
  });

  it('refuses a location type that is not allowed, listing the allowed ones', async () => {
    await expect(
      service().createLocation({ type: 'github', target: 'acme/shop' }, false),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Location type 'github' cannot be registered through the API; the allowed type is 'url'. Use an allowed type, or add it to 'catalog.allowedLocationTypes'.",
    });
  });

  it('takes the allowed types from catalog.allowedLocationTypes', async () => {
    await expect(
      service({
        config: { catalog: { allowedLocationTypes: ['url'] } },
      }).createLocation({ type: 'file', target: '/a.yaml' }, false),
    ).rejects.toThrow(
      "Location type 'file' cannot be registered through the API; the allowed type is 'url'. Use an allowed type, or add it to 'catalog.allowedLocationTypes'.",
    );
  });

  it('lets the types given to it win over config', async () => {
    const locations = service({
      config: { catalog: { allowedLocationTypes: ['url'] } },
      allowedLocationTypes: [],
    });
    await expect(
      locations.createLocation({ type: 'url', target: `${base}a.yaml` }, false),
    ).rejects.toThrow(
      "Location type 'url' cannot be registered through the API; none are allowed. Use an allowed type, or add it to 'catalog.allowedLocationTypes'.",
    );
  });

  it('refuses a url location whose target is not an absolute URL', async () => {
    await expect(
      service().createLocation(
        { type: 'url', target: 'acme/shop.yaml' },
        false,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Invalid location 'url:acme/shop.yaml' in the request: it is not an absolute URL, which a 'url' location needs; write it like 'https://github.com/org/repo/blob/main/catalog-info.yaml'.",
    });
  });

  it('refuses file locations from the API unless they are allowed', async () => {
    await expect(
      service().createLocation(
        { type: 'file', target: '/repo/app-config.local.yaml' },
        true,
      ),
    ).rejects.toThrow(
      "Location type 'file' cannot be registered through the API; the allowed type is 'url'. Use an allowed type, or add it to 'catalog.allowedLocationTypes'. A 'file' location is read from this server's disk, so it is refused from the API unless allowed; list file locations in 'catalog.locations' instead.",
    );
  });

  it.each([
    [
      'a file: URL',
      'file:///repo/app-config.local.yaml',
      "Invalid location 'url:file:///repo/app-config.local.yaml' in the request: its scheme 'file:' is not 'http:' or 'https:', the only ones a 'url' location may have.",
    ],
    [
      'a user name and password',
      'https://user:hunter22@git.example.com/a.yaml',
      "Invalid location 'url:https://git.example.com/a.yaml' in the request: it carries a credential in a user name or password, and location targets are shown to every catalog reader and written to logs; remove it from the URL and give it to the URL reader instead, in the 'headers' of the rule for host 'git.example.com' in 'backend.reading.allow'.",
    ],
    [
      'a token in the query',
      'https://git.example.com/a.yaml?ref=main&private_token=glpat-123',
      "Invalid location 'url:https://git.example.com/a.yaml?ref=***&private_token=***' in the request: it carries a credential in the query parameter 'private_token', and location targets are shown to every catalog reader and written to logs; remove it from the URL and give it to the URL reader instead, in the 'headers' of the rule for host 'git.example.com' in 'backend.reading.allow'.",
    ],
    [
      'an over-long URL',
      `https://git.example.com/${'a'.repeat(3000)}.yaml`,
      `Invalid location '${`url:https://git.example.com/${'a'.repeat(3000)}`.slice(0, 200)}...' in the request: it is 3029 characters long, more than the 2048 a location target may have.`,
    ],
  ])(
    'refuses a url target with %s, in dry runs too',
    async (_, target, message) => {
      for (const dryRun of [false, true]) {
        await expect(
          service().createLocation({ type: 'url', target }, dryRun),
        ).rejects.toMatchObject({ name: 'InputError', message });
      }
      expect(mutations).toEqual([{ type: 'full', entities: [] }]);
    },
  );

  it('returns every entity a dry run yields without writing anything', async () => {
    const spec = { type: 'url', target: `${base}catalog-info.yaml` };
    const result = await service().createLocation(spec, true);
    expect(result.location).toEqual({ id: `url:${spec.target}`, ...spec });
    expect(result.exists).toBe(false);
    expect(result.entities.map(e => `${e.kind}:${e.metadata.name}`)).toEqual([
      `Location:${locationSpecToLocationEntity(spec).entity.metadata.name}`,
      'Component:cart',
      'Location:more',
      'Component:checkout',
    ]);
    await expect(store.listLocations()).resolves.toEqual([]);
    expect(mutations).toHaveLength(1);
  });

  it('stops a dry run that would process more entities than allowed', async () => {
    const spec = { type: 'url', target: `${base}catalog-info.yaml` };
    await expect(
      service({ maxDryRunEntities: 3 }).createLocation(spec, true),
    ).rejects.toThrow(
      new InputError(
        `Dry run of location 'url:${spec.target}' stopped after 3 entities, the most that 'catalog.queryLimits.maxDryRunEntities' allows one dry run, with more to process. Register the location without a dry run, or dry-run the locations it leads to one by one.`,
      ),
    );
    await expect(
      service({ maxDryRunEntities: 4 }).createLocation(spec, true),
    ).resolves.toMatchObject({ entities: { length: 4 } });
  });

  it('says in a dry run whether the location is already registered', async () => {
    const spec = { type: 'url', target: `${base}catalog-info.yaml` };
    await service().createLocation(spec, false);
    await expect(service().createLocation(spec, true)).resolves.toMatchObject({
      exists: true,
    });
  });

  it('answers a dry run whose URL cannot be read as the input error it is', async () => {
    const spec = { type: 'url', target: `${base}catalog-info.yaml` };
    const reader = new MockUrlReader(files);
    const failure = Object.assign(
      new Error(`Cannot read '${spec.target}': the server answered 500.`),
      { name: 'UrlFetchError' },
    );
    jest.spyOn(reader, 'readUrl').mockRejectedValue(failure);
    const { entity } = locationSpecToLocationEntity(spec);
    await expect(
      service({ reader }).createLocation(spec, true),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: `Dry run of location 'url:${spec.target}' failed while processing entity 'location:default/${entity.metadata.name}'`,
      cause: failure,
    });
  });

  it('fails a dry run with the processing error of a missing location, keeping its type', async () => {
    const spec = { type: 'url', target: `${base}missing.yaml` };
    const { entity } = locationSpecToLocationEntity(spec);
    await expect(service().createLocation(spec, true)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: `Dry run of location 'url:${spec.target}' failed while processing entity 'location:default/${entity.metadata.name}'`,
      cause: {
        message: `Nothing exists at location 'url:${spec.target}'. Check the URL, or give the location presence 'optional' if it may be missing.`,
      },
    });
  });

  it('fails a dry run with every processing error of an entity, one per line', async () => {
    const spec = { type: 'url', target: `${base}broken.yaml` };
    const { entity } = locationSpecToLocationEntity(spec);
    await expect(service().createLocation(spec, true)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        new RegExp(
          `^Dry run of location 'url:${spec.target.replace(/[.]/g, '\\.')}' failed while processing entity 'location:default/${entity.metadata.name}', with 2 errors:\\n- InputError: YAML error in .+ at line 2, .+\\n- InputError: YAML error in .+ at line 4, .+$`,
        ),
      ),
    });
  });

  it('fails a dry run of a location whose files define one entity twice', async () => {
    const spec = { type: 'url', target: `${base}dupe-a.yaml` };
    await expect(service().createLocation(spec, true)).rejects.toMatchObject({
      name: 'InputError',
      message: `Location 'url:${spec.target}' yields the entity 'component:default/cart' more than once. Define each entity in one place only.`,
    });
  });
});
