import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  UrlReaderService,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchResponse,
} from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  MockUrlReader,
  mockServices,
} from '@plinth/backend-test-utils';
import { NotAllowedError } from '@plinth/errors';
import { ConfigFileReader } from './ConfigFileReader';

/** Refuses every URL as Backstage's URL reader refuses `file:` URLs. */
class RefusingUrlReader implements UrlReaderService {
  readonly asked: string[] = [];
  async readUrl(url: string): Promise<UrlReaderServiceReadUrlResponse> {
    throw this.#refuse(url);
  }
  async readTree(url: string): Promise<never> {
    throw this.#refuse(url);
  }
  async search(url: string): Promise<UrlReaderServiceSearchResponse> {
    throw this.#refuse(url);
  }
  #refuse(url: string): Error {
    this.asked.push(url);
    return new NotAllowedError(
      `Reading from '${url}' is not allowed. You may need to configure an integration for the target host, or add it to the configured list of allowed hosts at 'backend.reading.allow'`,
    );
  }
}

let dir: string;
let catalogDir: string;

beforeAll(() => {
  dir = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), 'config-files-')),
  );
  catalogDir = path.join(dir, 'catalog');
  const write = (relative: string, content: string) => {
    const file = path.join(catalogDir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  };
  write('all.yaml', 'kind: Location\n');
  write('teams/a.yaml', 'kind: Group\n');
  write('teams/b.yaml', 'kind: Group\n');
  write('teams/.hidden.yaml', 'kind: Group\n');
  write('.git/config.yaml', 'secret\n');
  write('app-config.local.yaml', 'secret\n');
  fs.writeFileSync(path.join(dir, 'outside.yaml'), 'secret\n');
  fs.symlinkSync(
    path.join(dir, 'outside.yaml'),
    path.join(catalogDir, 'link.yaml'),
  );
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function create(reader: UrlReaderService = new RefusingUrlReader()) {
  const logger = MockLoggerService.create();
  const files = ConfigFileReader.fromConfig({
    config: mockServices.rootConfig({
      data: {
        catalog: {
          locations: [
            { type: 'file', target: path.join(catalogDir, 'all.yaml') },
            { type: 'url', target: 'https://git.example.com/all.yaml' },
          ],
        },
      },
    }),
    reader,
    logger,
  });
  return { files, logger };
}

const configOrigin = () => ({
  type: 'file',
  target: path.join(catalogDir, 'all.yaml'),
});

function refusal(file: string): string {
  return `Cannot read '${pathToFileURL(file).href}': config file locations read only files below 'backend.reading.fileRoots' (by default the folders of the file entries of 'catalog.locations'), never hidden files or folders nor 'app-config*' files, as written or through a link.`;
}

describe('ConfigFileReader', () => {
  it('reads a file from disk for a config file location when the URL reader refuses file: URLs', async () => {
    const { files } = create();
    const data = await files.readFile(
      path.join(catalogDir, 'teams', 'a.yaml'),
      configOrigin(),
    );
    expect(data.toString()).toBe('kind: Group\n');
  });

  it('reads through the URL reader when it serves file: URLs', async () => {
    const file = path.join(dir, 'served-by-reader.yaml');
    const { files } = create(
      new MockUrlReader({ [pathToFileURL(file).href]: 'from the reader' }),
    );
    await expect(
      files.readFile(file, configOrigin()).then(String),
    ).resolves.toBe('from the reader');
  });

  it('passes on the refusal for an origin that is not a file location from config', async () => {
    const { files } = create();
    const file = path.join(catalogDir, 'teams', 'a.yaml');
    const expected = `Reading from '${pathToFileURL(file).href}' is not allowed. You may need to configure an integration for the target host, or add it to the configured list of allowed hosts at 'backend.reading.allow'`;
    await expect(
      files.readFile(file, { type: 'file', target: file }),
    ).rejects.toThrow(expected);
    await expect(
      files.readFile(file, {
        type: 'url',
        target: 'https://git.example.com/all.yaml',
      }),
    ).rejects.toThrow(expected);
    await expect(files.readFile(file)).rejects.toThrow(expected);
  });

  it.each([
    ['a hidden file', ['teams', '.hidden.yaml']],
    ['a file in a hidden folder', ['.git', 'config.yaml']],
    ['an app-config file', ['app-config.local.yaml']],
    ['a link that leads out of the roots', ['link.yaml']],
  ])('refuses %s, logging the path', async (_what, segments) => {
    const { files, logger } = create();
    const file = path.join(catalogDir, ...segments);
    await expect(files.readFile(file, configOrigin())).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: refusal(file),
    });
    expect(logger.messages('warn')).toEqual([refusal(file)]);
  });

  it('refuses a file outside the folders of the config file locations', async () => {
    const { files } = create();
    const file = path.join(dir, 'outside.yaml');
    await expect(files.readFile(file, configOrigin())).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: refusal(file),
    });
  });

  it('reports a missing file as not found', async () => {
    const { files } = create();
    const file = path.join(catalogDir, 'missing.yaml');
    await expect(files.readFile(file, configOrigin())).rejects.toMatchObject({
      name: 'NotFoundError',
      message: `Cannot read '${pathToFileURL(file).href}': nothing exists there. Check the path.`,
    });
  });

  it('searches a glob on disk, sorted, without hidden files or links out of the roots', async () => {
    const { files } = create();
    const found = await files.search(
      path.join(catalogDir, '**', '*.yaml'),
      configOrigin(),
    );
    expect(found.map(file => path.relative(catalogDir, file.path))).toEqual([
      'all.yaml',
      path.join('teams', 'a.yaml'),
      path.join('teams', 'b.yaml'),
    ]);
    expect(found[1].data.toString()).toBe('kind: Group\n');
  });

  it('finds nothing for a glob whose base folder does not exist', async () => {
    const { files } = create();
    await expect(
      files.search(path.join(catalogDir, 'none', '*.yaml'), configOrigin()),
    ).resolves.toEqual([]);
  });

  it('tells which origins are file locations from config', () => {
    const { files } = create();
    expect(files.isConfigLocation(configOrigin())).toBe(true);
    expect(
      files.isConfigLocation({
        type: 'file',
        target: path.join(catalogDir, 'teams', 'a.yaml'),
      }),
    ).toBe(false);
    expect(
      files.isConfigLocation({
        type: 'url',
        target: 'https://git.example.com/all.yaml',
      }),
    ).toBe(false);
  });
});
