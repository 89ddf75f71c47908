import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  MockLoggerService,
  MockUrlReader,
  mockServices,
} from '@plinth/backend-test-utils';
import type { Entity, JsonValue } from '@plinth/catalog-model';
import { NotAllowedError } from '@plinth/errors';
import {
  parseEntityYaml,
  type CatalogProcessorCache,
  type LocationSpec,
} from '@plinth/plugin-catalog-node';
import { CodeOwnersProcessor } from './CodeOwnersProcessor';

const fixtures = path.join(__dirname, '__fixtures__');

/** Every fixture file, keyed by its file: URL, as the file reader would serve it. */
function fixtureFiles(dir = fixtures): Record<string, string> {
  return Object.fromEntries(
    fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory()
        ? Object.entries(fixtureFiles(full))
        : [[pathToFileURL(full).href, fs.readFileSync(full, 'utf8')]];
    }),
  );
}

function entityAt(relative: string): {
  entity: Entity;
  location: LocationSpec;
} {
  const target = path.join(fixtures, relative);
  const location = { type: 'file', target };
  const [result] = parseEntityYaml(fs.readFileSync(target), location);
  if (result?.type !== 'entity') {
    throw new Error(`fixture '${relative}' holds no entity`);
  }
  return { entity: result.entity, location };
}

/** Keeps only what the last run set, as the catalog's processor cache does. */
class RunCache implements CatalogProcessorCache {
  previous = new Map<string, JsonValue>();
  current = new Map<string, JsonValue>();
  async get<T extends JsonValue>(key: string): Promise<T | undefined> {
    return this.previous.get(key) as T | undefined;
  }
  async set<T extends JsonValue>(key: string, value: T): Promise<void> {
    this.current.set(key, value);
  }
  nextRun(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

async function ownerOf(
  relative: string,
  options: { reader?: MockUrlReader; processor?: CodeOwnersProcessor } = {},
): Promise<JsonValue | undefined> {
  const { entity, location } = entityAt(relative);
  const processor =
    options.processor ??
    new CodeOwnersProcessor({
      reader: options.reader ?? new MockUrlReader(fixtureFiles()),
      logger: MockLoggerService.create(),
    });
  const result = await processor.preProcessEntity(
    entity,
    location,
    () => {},
    location,
    new RunCache(),
  );
  return result.spec?.owner;
}

describe('CodeOwnersProcessor', () => {
  describe('for file locations', () => {
    it('takes the owner from the catalog-wide rule of the repository CODEOWNERS', async () => {
      await expect(
        ownerOf('monorepo/services/cart/catalog-info.yaml'),
      ).resolves.toBe('platform');
    });

    it('lets the last matching rule win', async () => {
      await expect(
        ownerOf('monorepo/services/payments/catalog-info.yaml'),
      ).resolves.toBe('payments');
    });

    it('uses the CODEOWNERS file nearest to the entity', async () => {
      await expect(
        ownerOf('monorepo/services/search/catalog-info.yaml'),
      ).resolves.toBe('user:jane');
    });

    it('leaves the owner empty when the deciding rule has no owners, and says so', async () => {
      const logger = MockLoggerService.create();
      const processor = new CodeOwnersProcessor({
        reader: new MockUrlReader(fixtureFiles()),
        logger,
      });
      await expect(
        ownerOf('monorepo/libs/vendored/catalog-info.yaml', { processor }),
      ).resolves.toBeUndefined();
      const target = path.join(
        fixtures,
        'monorepo/libs/vendored/catalog-info.yaml',
      );
      expect(logger.messages('debug')).toEqual([
        `No CODEOWNERS rule names an owner for entity 'component:default/vendored' from 'file:${target}'; its spec.owner stays empty.`,
      ]);
    });

    it('keeps an owner the entity sets itself', async () => {
      await expect(
        ownerOf('monorepo/services/owned/catalog-info.yaml'),
      ).resolves.toBe('team-x');
    });

    it('maps handles through the configured mappings', async () => {
      const processor = CodeOwnersProcessor.fromConfig(
        mockServices.rootConfig({
          data: {
            catalog: {
              codeowners: {
                mappings: { '@acme/platform': 'group:infra/platform-team' },
              },
            },
          },
        }),
        {
          reader: new MockUrlReader(fixtureFiles()),
          logger: MockLoggerService.create(),
        },
      );
      await expect(
        ownerOf('monorepo/services/cart/catalog-info.yaml', { processor }),
      ).resolves.toBe('group:infra/platform-team');
    });

    it('looks above the entity folder until it finds a CODEOWNERS file', async () => {
      const reader = new MockUrlReader({
        ...fixtureFiles(),
        [pathToFileURL(path.join(fixtures, 'CODEOWNERS')).href]:
          '* @acme/outer\n',
      });
      await expect(
        ownerOf('standalone/catalog-info.yaml', { reader }),
      ).resolves.toBe('outer');
    });

    it('never asks for CODEOWNERS in hidden folders, which the reader does not read', async () => {
      const reader = new MockUrlReader({
        ...fixtureFiles(),
        [pathToFileURL(path.join(fixtures, 'standalone/.github/CODEOWNERS'))
          .href]: '* @acme/hidden\n',
      });
      const asked: string[] = [];
      const read = reader.readUrl.bind(reader);
      reader.readUrl = async (url, options) => {
        asked.push(url);
        return read(url, options);
      };
      await expect(
        ownerOf('standalone/catalog-info.yaml', { reader }),
      ).resolves.toBeUndefined();
      expect(asked.filter(url => /\/\.[^/]/.test(url))).toEqual([]);
    });

    it('stops looking at folders the reader may not read', async () => {
      const reader = new MockUrlReader({
        ...fixtureFiles(),
        [pathToFileURL(path.join(fixtures, 'CODEOWNERS')).href]:
          '* @acme/outer\n',
      });
      const inside = pathToFileURL(path.join(fixtures, 'standalone')).href;
      const read = reader.readUrl.bind(reader);
      reader.readUrl = async (url, options) => {
        if (!url.startsWith(`${inside}/`)) {
          throw new NotAllowedError(
            `Cannot read '${url}': outside the file roots.`,
          );
        }
        return read(url, options);
      };
      await expect(
        ownerOf('standalone/catalog-info.yaml', { reader }),
      ).resolves.toBeUndefined();
    });

    it('reports a CODEOWNERS file that cannot be read, naming the entity', async () => {
      const reader = new MockUrlReader();
      reader.readUrl = async url => {
        throw new Error(`Cannot read '${url}': the disk is gone.`);
      };
      const target = path.join(fixtures, 'standalone/catalog-info.yaml');
      const codeowners = pathToFileURL(
        path.join(fixtures, 'standalone/CODEOWNERS'),
      ).href;
      await expect(
        ownerOf('standalone/catalog-info.yaml', { reader }),
      ).rejects.toMatchObject({
        message: `Could not read the CODEOWNERS file for entity 'component:default/standalone' from 'file:${target}'`,
        cause: { message: `Cannot read '${codeowners}': the disk is gone.` },
      });
    });
  });

  describe('for url locations', () => {
    const root = 'https://github.com/acme/shop/blob/main/';
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: 'orders' },
      spec: { type: 'openapi' },
    };
    const location = {
      type: 'url',
      target: `${root}apis/orders/catalog-info.yaml`,
    };

    function processorFor(reader: MockUrlReader): CodeOwnersProcessor {
      return new CodeOwnersProcessor({
        reader,
        logger: MockLoggerService.create(),
      });
    }

    it('takes the owner from the CODEOWNERS file of the repository', async () => {
      const reader = new MockUrlReader({
        [`${root}CODEOWNERS`]: '* @acme/platform\n/apis/ @acme/api-team\n',
      });
      const result = await processorFor(reader).preProcessEntity(
        entity,
        location,
        () => {},
        location,
        new RunCache(),
      );
      expect(result.spec).toEqual({ type: 'openapi', owner: 'api-team' });
    });

    it('prefers .github/CODEOWNERS, as GitHub does', async () => {
      const reader = new MockUrlReader({
        [`${root}.github/CODEOWNERS`]: '* @acme/from-github-folder\n',
        [`${root}CODEOWNERS`]: '* @acme/from-root\n',
      });
      const result = await processorFor(reader).preProcessEntity(
        entity,
        location,
        () => {},
        location,
        new RunCache(),
      );
      expect(result.spec?.owner).toBe('from-github-folder');
    });

    it('checks the cached CODEOWNERS file with one conditional read while it is unchanged', async () => {
      const reader = new MockUrlReader({
        [`${root}docs/CODEOWNERS`]: '* @acme/platform\n',
      });
      const reads: string[] = [];
      const read = reader.readUrl.bind(reader);
      reader.readUrl = async (url, options) => {
        reads.push(url);
        return read(url, options);
      };
      const processor = processorFor(reader);
      const cache = new RunCache();
      const run = async () =>
        (
          await processor.preProcessEntity(
            entity,
            location,
            () => {},
            location,
            cache,
          )
        ).spec?.owner;
      await expect(run()).resolves.toBe('platform');
      expect(reads).toHaveLength(3);
      cache.nextRun();
      reads.length = 0;
      await expect(run()).resolves.toBe('platform');
      expect(reads).toEqual([`${root}docs/CODEOWNERS`]);
      cache.nextRun();
      reader.set(`${root}docs/CODEOWNERS`, '* @acme/new-owners\n');
      await expect(run()).resolves.toBe('new-owners');
    });

    it('leaves URLs of unknown shape alone', async () => {
      const other = {
        type: 'url',
        target: 'https://files.example.com/catalog-info.yaml',
      };
      const result = await processorFor(new MockUrlReader()).preProcessEntity(
        entity,
        other,
        () => {},
        other,
        new RunCache(),
      );
      expect(result).toBe(entity);
    });
  });

  it('fills only the configured kinds', async () => {
    const processor = new CodeOwnersProcessor({
      reader: new MockUrlReader(fixtureFiles()),
      logger: MockLoggerService.create(),
      kinds: ['resource'],
    });
    await expect(
      ownerOf('monorepo/services/cart/catalog-info.yaml', { processor }),
    ).resolves.toBeUndefined();
  });

  it('rejects mappings that are not an object', () => {
    expect(() =>
      CodeOwnersProcessor.fromConfig(
        mockServices.rootConfig({
          data: { catalog: { codeowners: { mappings: ['@a'] } } },
        }),
        { reader: new MockUrlReader(), logger: MockLoggerService.create() },
      ),
    ).toThrow(
      `Invalid config at 'catalog.codeowners.mappings': expected an object of CODEOWNERS handles to entity refs, such as { '@acme/team-a': 'group:default/team-a' }, got ["@a"].`,
    );
  });

  it('rejects a mapping to something other than an entity ref', () => {
    expect(() =>
      CodeOwnersProcessor.fromConfig(
        mockServices.rootConfig({
          data: { catalog: { codeowners: { mappings: { '@acme/a': 7 } } } },
        }),
        { reader: new MockUrlReader(), logger: MockLoggerService.create() },
      ),
    ).toThrow(
      `Invalid config at 'catalog.codeowners.mappings': the handle '@acme/a' maps to 7, but it must map to an entity ref such as 'group:default/team-a'.`,
    );
  });
});
