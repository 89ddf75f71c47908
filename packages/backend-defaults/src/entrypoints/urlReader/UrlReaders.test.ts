import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonObject, UrlReaderService } from '@plinth/backend-plugin-api';
import { MockLoggerService } from '@plinth/backend-test-utils';
import { ConfigReader } from '../../config';
import { findRootDir } from '../../config';
import { UrlReaders } from './UrlReaders';

let tmp: string;
let server: http.Server;
let base: string;

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'url-readers-')));
  fs.mkdirSync(path.join(tmp, 'catalog'));
  fs.writeFileSync(path.join(tmp, 'catalog', 'a.yaml'), 'from file\n');
  fs.writeFileSync(path.join(tmp, 'catalog', '.env'), 'TOKEN=s3cret\n');
  fs.writeFileSync(path.join(tmp, 'app-config.yaml'), 'secret: s3cret\n');
  server = http.createServer((_req, res) => res.end('from http\n'));
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
});

function createReaders(
  reading: JsonObject = {},
  locations: JsonObject[] = [],
  logger?: MockLoggerService,
): UrlReaders {
  return UrlReaders.create({
    config: new ConfigReader({
      backend: { reading },
      catalog: { locations },
    }),
    rootDirectory: tmp,
    logger,
  });
}

function fakeReader(text: string): UrlReaderService {
  return {
    readUrl: async () => ({ buffer: async () => Buffer.from(text) }),
    readTree: async () => {
      throw new Error('not used');
    },
    search: async () => ({ files: [], etag: text }),
  };
}

async function readText(reader: UrlReaderService, url: string) {
  return (await (await reader.readUrl(url)).buffer()).toString();
}

describe('UrlReaders', () => {
  it('reads file: URLs below the directories of the file locations by default', async () => {
    const readers = createReaders({}, [
      { type: 'file', target: path.join(tmp, 'catalog', '*.yaml') },
    ]);
    const url = pathToFileURL(path.join(tmp, 'catalog', 'a.yaml')).href;
    await expect(readText(readers, url)).resolves.toBe('from file\n');
    const config = pathToFileURL(path.join(tmp, 'app-config.yaml')).href;
    await expect(readers.readUrl(config)).rejects.toThrow(
      `Cannot read '${config}': it is outside the directories that file: URLs may read. To allow it, add a directory that contains it to 'backend.reading.fileRoots'.`,
    );
  });

  it('reads no file: URL when neither file roots nor file locations are configured', async () => {
    const readers = UrlReaders.create({ config: new ConfigReader({}) });
    const url = pathToFileURL(
      path.join(findRootDir(process.cwd()), 'package.json'),
    ).href;
    await expect(readers.readUrl(url)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Cannot read '${url}': it is outside the directories that file: URLs may read. To allow it, add a directory that contains it to 'backend.reading.fileRoots'.`,
    });
  });

  it('resolves relative file roots against the nearest workspace root when given no root directory', async () => {
    const readers = UrlReaders.create({
      config: new ConfigReader({ backend: { reading: { fileRoots: ['.'] } } }),
    });
    const manifest = path.join(findRootDir(process.cwd()), 'package.json');
    const response = await readers.readUrl(pathToFileURL(manifest).href);
    expect((await response.buffer()).toString()).toContain('"workspaces"');
  });

  it('resolves relative file roots against the root directory', async () => {
    const readers = createReaders({ fileRoots: ['catalog'] });
    const inside = pathToFileURL(path.join(tmp, 'catalog', 'a.yaml')).href;
    await expect(readText(readers, inside)).resolves.toBe('from file\n');
    const outside = pathToFileURL(path.join(tmp, 'other.yaml')).href;
    await expect(readers.readUrl(outside)).rejects.toThrow(
      `Cannot read '${outside}': it is outside the directories that file: URLs may read. To allow it, add a directory that contains it to 'backend.reading.fileRoots'.`,
    );
  });

  it('never reads a hidden file, even inside a root', async () => {
    const readers = createReaders({ fileRoots: ['.'] });
    const url = pathToFileURL(path.join(tmp, 'catalog', '.env')).href;
    await expect(readers.readUrl(url)).rejects.toThrow(
      `Cannot read '${url}': its path has the hidden segment '.env', and file: URLs never read hidden files or directories. Keep the files to read outside hidden directories.`,
    );
  });

  it('logs the file roots and the path of a refused read to the logger it is given', async () => {
    const logger = MockLoggerService.create();
    const readers = createReaders({ fileRoots: ['catalog'] }, [], logger);
    const file = path.join(tmp, 'app-config.yaml');
    const message = `Cannot read '${pathToFileURL(file).href}': it is outside the directories that file: URLs may read. To allow it, add a directory that contains it to 'backend.reading.fileRoots'.`;
    await expect(readers.readUrl(pathToFileURL(file).href)).rejects.toThrow(
      message,
    );
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message,
        fields: {},
        meta: { path: file, fileRoots: [path.join(tmp, 'catalog')] },
      },
    ]);
  });

  it('reads http: URLs of allowed hosts', async () => {
    const readers = createReaders({ allow: [{ host: '127.0.0.1:1-65535' }] });
    await expect(readText(readers, `${base}/x`)).resolves.toBe('from http\n');
  });

  it('refuses https: URLs of hosts that are not allowed', async () => {
    await expect(
      createReaders().readUrl('https://example.com/catalog-info.yaml'),
    ).rejects.toThrow(
      "Reading 'https://example.com/catalog-info.yaml' is not allowed: host 'example.com' matches no rule in 'backend.reading.allow'. To allow it, add { host: 'example.com' } to 'backend.reading.allow'.",
    );
  });

  it.each([
    ['readUrl', 'read'],
    ['readTree', 'read the tree at'],
    ['search', 'search'],
  ] as const)(
    '%s lists the supported schemes for an unknown one',
    async (method, action) => {
      await expect(
        createReaders()[method]('ftp://user:pw@files.example.com/a.yaml'),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: `Cannot ${action} 'ftp://files.example.com/a.yaml': scheme 'ftp:' is not supported. Use one of 'file:', 'http:', 'https:'.`,
      });
    },
  );

  it('mentions added readers when no reader serves a URL', async () => {
    const readers = createReaders().withReaders([
      { predicate: () => false, reader: fakeReader('never') },
    ]);
    await expect(readers.readUrl('git://example.com/a')).rejects.toThrow(
      "Cannot read 'git://example.com/a': scheme 'git:' is not supported. Use one of 'file:', 'http:', 'https:', or a URL an added reader serves.",
    );
  });

  it('rejects a string that is not an absolute URL', async () => {
    await expect(
      createReaders().readUrl('//user:pw@example.com/catalog-info.yaml'),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Cannot read '//example.com/catalog-info.yaml': it is not a valid absolute URL. Use a URL such as 'https://example.com/catalog-info.yaml' or 'file:///path/to/catalog-info.yaml'.",
    });
  });

  it('masks query values and the fragment of a string that is not an absolute URL', async () => {
    await expect(
      createReaders().readUrl('//example.com/a.yaml?token=s3cret#s3cret'),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Cannot read '//example.com/a.yaml?token=***#***': it is not a valid absolute URL. Use a URL such as 'https://example.com/catalog-info.yaml' or 'file:///path/to/catalog-info.yaml'.",
    });
  });

  it('asks added readers before the built-in ones, the latest first', async () => {
    const readers = createReaders()
      .withReaders([
        { predicate: url => url.host === 'git.test', reader: fakeReader('1') },
      ])
      .withReaders([
        { predicate: url => url.pathname === '/b', reader: fakeReader('2') },
      ]);
    await expect(readText(readers, 'https://git.test/a')).resolves.toBe('1');
    await expect(readText(readers, 'https://git.test/b')).resolves.toBe('2');
    await expect(readers.search('https://git.test/a')).resolves.toEqual({
      files: [],
      etag: '1',
    });
  });

  it('returns itself when given no readers to add', () => {
    const readers = createReaders();
    expect(readers.withReaders([])).toBe(readers);
  });

  it('checks the reading config when it is created', () => {
    expect(() => createReaders({ maxSize: 'huge' })).toThrow(
      `Invalid config at 'backend.reading.maxSize' (mock-config): expected a whole number of bytes or a size such as '1mb' (units b, kb, mb, gb), got "huge".`,
    );
  });
});
