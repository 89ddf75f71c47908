import { pathToFileURL } from 'node:url';
import {
  MockLoggerService,
  MockUrlReader,
  TestDatabases,
} from '@plinth/backend-test-utils';
import {
  defaultEntityDataParser,
  type ScmLocationAnalyzer,
} from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { DefaultLocationAnalyzer } from './DefaultLocationAnalyzer';

const databases = TestDatabases.create();

const repo = 'https://git.example.com/acme/cart-service';
const catalogFile = `${repo}/catalog-info.yaml`;
const twoComponents = [
  'apiVersion: backstage.io/v1alpha1',
  'kind: Component',
  'metadata:',
  '  name: cart',
  '---',
  'apiVersion: backstage.io/v1alpha1',
  'kind: Component',
  'metadata:',
  '  name: cart-worker',
  '',
].join('\n');

const component = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
});

describe('DefaultLocationAnalyzer', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let knex: Knex;
    let logger: MockLoggerService;

    beforeAll(async () => {
      knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await knex('refresh_state').delete();
      await knex('locations').delete();
      logger = MockLoggerService.create();
    });

    function analyzer(
      files: Record<string, string>,
      analyzers?: ScmLocationAnalyzer[],
    ): DefaultLocationAnalyzer {
      return new DefaultLocationAnalyzer({
        reader: new MockUrlReader(files),
        knex,
        logger,
        parser: defaultEntityDataParser,
        analyzers,
      });
    }

    it('returns the entities of the catalog file in the folder a URL names', async () => {
      await expect(
        analyzer({ [catalogFile]: twoComponents }).analyzeLocation({
          location: { type: 'url', target: repo },
        }),
      ).resolves.toEqual({
        existingEntityFiles: [
          {
            location: { type: 'url', target: catalogFile },
            isRegistered: false,
            entity: component('cart'),
          },
          {
            location: { type: 'url', target: catalogFile },
            isRegistered: false,
            entity: component('cart-worker'),
          },
        ],
        generateEntities: [],
      });
    });

    it('reads the file a URL names, and another catalog file name in a folder', async () => {
      const custom = `${repo}/backstage.yaml`;
      const files = { [custom]: twoComponents };
      const direct = await analyzer(files).analyzeLocation({
        location: { type: 'url', target: custom },
      });
      const named = await analyzer(files).analyzeLocation({
        location: { type: 'url', target: `${repo}/` },
        catalogFilename: 'backstage.yaml',
      });
      expect(direct.existingEntityFiles).toHaveLength(2);
      expect(named).toEqual(direct);
    });

    it('reads the catalog file of a file location', async () => {
      const result = await analyzer({
        [pathToFileURL('/repo/catalog-info.yaml').href]: twoComponents,
      }).analyzeLocation({ location: { type: 'file', target: '/repo' } });
      expect(result.existingEntityFiles.map(e => e.location)).toEqual([
        { type: 'file', target: '/repo/catalog-info.yaml' },
        { type: 'file', target: '/repo/catalog-info.yaml' },
      ]);
    });

    it('marks every entity registered when its file is a registered location', async () => {
      await knex('locations').insert({
        id: 'l1',
        type: 'url',
        target: catalogFile,
      });
      const result = await analyzer({
        [catalogFile]: twoComponents,
      }).analyzeLocation({
        location: { type: 'url', target: catalogFile },
      });
      expect(result.existingEntityFiles.map(e => e.isRegistered)).toEqual([
        true,
        true,
      ]);
    });

    it('marks an entity registered when the catalog already has it from this file', async () => {
      await knex('refresh_state').insert({
        entity_id: 'e1',
        entity_ref: 'component:default/cart',
        unprocessed_entity: '{}',
        unprocessed_hash: 'h',
        next_update_at: knex.fn.now(),
        location_key: `url:${catalogFile}`,
      });
      const result = await analyzer({
        [catalogFile]: twoComponents,
      }).analyzeLocation({
        location: { type: 'url', target: catalogFile },
      });
      expect(result.existingEntityFiles.map(e => e.isRegistered)).toEqual([
        true,
        false,
      ]);
    });

    it('suggests a component named after the location when it has no catalog file', async () => {
      await expect(
        analyzer({}).analyzeLocation({
          location: { type: 'url', target: `${repo}.git` },
        }),
      ).resolves.toEqual({
        existingEntityFiles: [],
        generateEntities: [
          {
            entity: {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'cart-service' },
              spec: { type: 'other', lifecycle: 'unknown' },
            },
            fields: [
              {
                field: 'metadata.name',
                state: 'analysisSuggestedValue',
                value: 'cart-service',
                description:
                  'The name of the component, from the last part of the location.',
              },
              {
                field: 'spec.owner',
                state: 'needsUserInput',
                value: null,
                description:
                  'The group or user that owns the component, such as group:default/team-a.',
              },
              {
                field: 'spec.type',
                state: 'analysisSuggestedValue',
                value: 'other',
                description:
                  'What the component is, such as service, website or library.',
              },
              {
                field: 'spec.lifecycle',
                state: 'analysisSuggestedValue',
                value: 'unknown',
                description:
                  'Where the component is in its life, such as experimental or production.',
              },
            ],
          },
        ],
      });
      expect(logger.messages('debug')).toEqual([
        `No catalog file at 'url:${repo}.git'; suggesting a component.`,
      ]);
    });

    it('asks for a name when the location has no part to take it from', async () => {
      const result = await analyzer({}).analyzeLocation({
        location: { type: 'url', target: 'https://git.example.com/' },
      });
      const [suggestion] = result.generateEntities;
      expect(suggestion.entity).not.toHaveProperty('metadata');
      expect(suggestion.fields[0]).toEqual({
        field: 'metadata.name',
        state: 'needsUserInput',
        value: null,
        description:
          'The name of the component; the location has no part to take it from.',
      });
    });

    it('makes the suggested name a valid entity name', async () => {
      const result = await analyzer({}).analyzeLocation({
        location: {
          type: 'url',
          target: 'https://git.example.com/acme/__My Repo!__',
        },
      });
      expect(result.generateEntities[0].entity.metadata).toEqual({
        name: 'My-Repo',
      });
    });

    it('lets a source control analyzer that supports the URL answer first', async () => {
      const existing = [
        {
          location: { type: 'url', target: catalogFile },
          isRegistered: true,
          entity: component('from-scm'),
        },
      ];
      const scm: ScmLocationAnalyzer = {
        supports: url => url.startsWith('https://git.example.com/'),
        analyze: async ({ url, catalogFilename }) => {
          expect({ url, catalogFilename }).toEqual({
            url: repo,
            catalogFilename: 'catalog-info.yaml',
          });
          return { existing };
        },
      };
      await expect(
        analyzer({ [catalogFile]: twoComponents }, [scm]).analyzeLocation({
          location: { type: 'url', target: repo },
        }),
      ).resolves.toEqual({
        existingEntityFiles: existing,
        generateEntities: [],
      });
    });

    it('suggests a component when the source control analyzer finds no catalog file', async () => {
      const scm: ScmLocationAnalyzer = {
        supports: () => true,
        analyze: async () => ({ existing: [] }),
      };
      const result = await analyzer({}, [scm]).analyzeLocation({
        location: { type: 'url', target: repo },
      });
      expect(result.generateEntities).toHaveLength(1);
    });

    it('rejects a location type it cannot read', async () => {
      await expect(
        analyzer({}).analyzeLocation({
          location: { type: 'github', target: 'acme/cart' },
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          "Cannot analyze location 'github:acme/cart': only 'url' and 'file' locations can be analyzed.",
      });
    });

    it('rejects a catalog file that is not valid YAML', async () => {
      await expect(
        analyzer({ [catalogFile]: 'kind: [' }).analyzeLocation({
          location: { type: 'url', target: catalogFile },
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: `Cannot analyze the catalog file 'url:${catalogFile}'`,
        cause: {
          message: expect.stringMatching(
            /^YAML error in 'url:https:\/\/git\.example\.com\/acme\/cart-service\/catalog-info\.yaml' at line \d+, column \d+: .+$/,
          ),
        },
      });
    });

    it('passes on read errors other than a missing file', async () => {
      const reader = new MockUrlReader();
      const failure = new Error('the host is not allowed');
      reader.readUrl = async () => {
        throw failure;
      };
      await expect(
        new DefaultLocationAnalyzer({
          reader,
          knex,
          logger,
          parser: defaultEntityDataParser,
        }).analyzeLocation({
          location: { type: 'url', target: catalogFile },
        }),
      ).rejects.toBe(failure);
    });

    it('answers a catalog file that cannot be read as an input error', async () => {
      const reader = new MockUrlReader();
      const failure = Object.assign(
        new Error(`Cannot read '${catalogFile}': the server answered 502.`),
        { name: 'UrlFetchError' },
      );
      reader.readUrl = async () => {
        throw failure;
      };
      await expect(
        new DefaultLocationAnalyzer({
          reader,
          knex,
          logger,
          parser: defaultEntityDataParser,
        }).analyzeLocation({
          location: { type: 'url', target: catalogFile },
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: `Cannot analyze the location 'url:${catalogFile}'`,
        cause: failure,
      });
    });
  });
});
