import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MockLoggerService } from '@plinth/backend-test-utils';
import { FileUrlReader } from './FileUrlReader';

let tmp: string;
let root: string;
let outside: string;

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function urlOf(file: string): string {
  return pathToFileURL(file).href;
}

function createReader(
  options: { fileRoots?: string[]; logger?: MockLoggerService } = {},
): Promise<FileUrlReader> {
  return FileUrlReader.create({
    fileRoots: options.fileRoots ?? [root],
    maxSize: 1024,
    logger: options.logger,
  });
}

beforeAll(() => {
  tmp = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), 'file-reader-refusals-')),
  );
  root = path.join(tmp, 'root');
  outside = path.join(tmp, 'outside');
  write(path.join(root, 'catalog-info.yaml'), 'kind: Component\n');
  write(path.join(root, 'docs', 'a.md'), '# A\n');
  write(path.join(root, '.env'), 'TOKEN=s3cret\n');
  write(path.join(root, '.plinth', 'dev-token'), 's3cret\n');
  write(path.join(root, 'app-config.local.yaml'), 'secret: s3cret\n');
  write(path.join(outside, 'secret.yaml'), 'secret\n');
  fs.symlinkSync(
    path.join(outside, 'secret.yaml'),
    path.join(root, 'docs', 'escape.yaml'),
  );
  fs.symlinkSync(outside, path.join(root, 'docs', 'escape-dir'));
  fs.symlinkSync(
    path.join(root, '.plinth', 'dev-token'),
    path.join(root, 'docs', 'token.yaml'),
  );
  fs.symlinkSync(
    path.join(root, 'app-config.local.yaml'),
    path.join(root, 'docs', 'config.yaml'),
  );
  fs.symlinkSync(path.join(root, '.plinth'), path.join(root, 'docs', 'state'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('FileUrlReader', () => {
  it('refuses a file outside the roots, naming the config key but not the roots', async () => {
    const reader = await createReader();
    const file = path.join(outside, 'secret.yaml');
    await expect(reader.readUrl(urlOf(file))).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Cannot read '${urlOf(file)}': it is outside the directories that file: URLs may read. To allow it, add a directory that contains it to 'backend.reading.fileRoots'.`,
    });
  });

  it('logs the roots and the path of a refused file at warn level, once per path', async () => {
    const logger = MockLoggerService.create();
    const reader = await createReader({ logger });
    const file = path.join(outside, 'secret.yaml');
    const message = `Cannot read '${urlOf(file)}': it is outside the directories that file: URLs may read. To allow it, add a directory that contains it to 'backend.reading.fileRoots'.`;
    await expect(reader.readUrl(urlOf(file))).rejects.toThrow(message);
    await expect(reader.readUrl(urlOf(file))).rejects.toThrow(message);
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message,
        fields: {},
        meta: { path: file, fileRoots: [root] },
      },
    ]);
  });

  it('refuses a URL whose .. segments leave the roots', async () => {
    const reader = await createReader();
    const url = `${urlOf(root)}/docs/../../outside/secret.yaml`;
    await expect(reader.readUrl(url)).rejects.toThrow(
      `Cannot read '${urlOf(path.join(outside, 'secret.yaml'))}': it is outside the directories that file: URLs may read. To allow it, add a directory that contains it to 'backend.reading.fileRoots'.`,
    );
  });

  it('refuses a symbolic link whose target is outside the roots, naming neither', async () => {
    const logger = MockLoggerService.create();
    const reader = await createReader({ logger });
    const link = path.join(root, 'docs', 'escape.yaml');
    await expect(reader.readUrl(urlOf(link))).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Cannot read '${urlOf(link)}': it leads through a symbolic link outside the directories that file: URLs may read. To allow it, add a directory that contains the link's target to 'backend.reading.fileRoots'.`,
    });
    expect(logger.lines[0]).toMatchObject({
      level: 'warn',
      meta: {
        path: link,
        realPath: path.join(outside, 'secret.yaml'),
        fileRoots: [root],
      },
    });
  });

  it('refuses a file below a linked directory outside the roots', async () => {
    const reader = await createReader();
    const file = path.join(root, 'docs', 'escape-dir', 'secret.yaml');
    await expect(reader.readUrl(urlOf(file))).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('refuses every file when no roots are configured', async () => {
    const reader = await createReader({ fileRoots: [] });
    const file = path.join(root, 'catalog-info.yaml');
    await expect(reader.readUrl(urlOf(file))).rejects.toThrow(
      `Cannot read '${urlOf(file)}': it is outside the directories that file: URLs may read. To allow it, add a directory that contains it to 'backend.reading.fileRoots'.`,
    );
  });

  it.each([['.env'], ['.plinth/dev-token']])(
    "refuses the hidden path '%s'",
    async relative => {
      const reader = await createReader();
      const url = urlOf(path.join(root, relative));
      await expect(reader.readUrl(url)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: `Cannot read '${url}': its path has the hidden segment '${relative.split('/')[0]}', and file: URLs never read hidden files or directories. Keep the files to read outside hidden directories.`,
      });
    },
  );

  it('refuses an app-config file', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, 'app-config.local.yaml'));
    await expect(reader.readUrl(url)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Cannot read '${url}': 'app-config.local.yaml' is named like a backend config file, and file: URLs never read files whose name starts with 'app-config'. Keep the files to read under other names.`,
    });
  });

  it('refuses an app-config file whatever the case of its name', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, 'APP-Config.local.yaml'));
    await expect(reader.readUrl(url)).rejects.toThrow(
      `Cannot read '${url}': 'APP-Config.local.yaml' is named like a backend config file, and file: URLs never read files whose name starts with 'app-config'. Keep the files to read under other names.`,
    );
  });

  it('refuses a hidden segment written with percent-encoded dots', async () => {
    const reader = await createReader();
    const url = `${urlOf(root)}/%2eplinth/dev-token`;
    await expect(reader.readUrl(url)).rejects.toThrow(
      `Cannot read '${url}': its path has the hidden segment '.plinth', and file: URLs never read hidden files or directories. Keep the files to read outside hidden directories.`,
    );
  });

  it('refuses a hidden directory reached through percent-encoded dot segments', async () => {
    const reader = await createReader();
    const url = `${urlOf(root)}/docs/%2e%2e/.plinth/dev-token`;
    await expect(reader.readUrl(url)).rejects.toThrow(
      `Cannot read '${urlOf(root)}/.plinth/dev-token': its path has the hidden segment '.plinth', and file: URLs never read hidden files or directories. Keep the files to read outside hidden directories.`,
    );
  });

  it('refuses a URL with a percent-encoded separator', async () => {
    const reader = await createReader();
    const url = `${urlOf(root)}/docs/..%2f.plinth/dev-token`;
    await expect(reader.readUrl(url)).rejects.toMatchObject({
      name: 'InputError',
      message: `Cannot read '${url}': it is not a local file URL (File URL path must not include encoded / characters). Use a URL such as 'file:///path/to/file.yaml'.`,
    });
  });

  it('refuses a URL with an encoded NUL character', async () => {
    const reader = await createReader();
    const url = `${urlOf(root)}/catalog-info.yaml%00.md`;
    await expect(reader.readUrl(url)).rejects.toMatchObject({
      name: 'InputError',
      message: `Cannot read '${url}': its path has an encoded NUL character ('%00'), which no file name may contain. Remove it from the URL.`,
    });
  });

  it('refuses a symbolic link to a hidden file, naming neither', async () => {
    const logger = MockLoggerService.create();
    const reader = await createReader({ logger });
    const link = path.join(root, 'docs', 'token.yaml');
    await expect(reader.readUrl(urlOf(link))).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Cannot read '${urlOf(link)}': it leads through a symbolic link to a hidden file or directory, and file: URLs never read those. Point the link at a file outside hidden directories.`,
    });
    expect(logger.lines[0].meta).toEqual({
      path: link,
      realPath: path.join(root, '.plinth', 'dev-token'),
      fileRoots: [root],
    });
  });

  it('refuses a file below a linked directory that leads into a hidden directory', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, 'docs', 'state', 'dev-token'));
    await expect(reader.readUrl(url)).rejects.toThrow(
      `Cannot read '${url}': it leads through a symbolic link to a hidden file or directory, and file: URLs never read those. Point the link at a file outside hidden directories.`,
    );
  });

  it('refuses a symbolic link to an app-config file', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, 'docs', 'config.yaml'));
    await expect(reader.readUrl(url)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Cannot read '${url}': it leads through a symbolic link to a file named like a backend config file, and file: URLs never read files whose name starts with 'app-config'. Point the link at another file.`,
    });
  });

  it('reads below a root that is itself hidden', async () => {
    const reader = await createReader({
      fileRoots: [path.join(root, '.plinth')],
    });
    const response = await reader.readUrl(
      urlOf(path.join(root, '.plinth', 'dev-token')),
    );
    expect((await response.buffer()).toString()).toBe('s3cret\n');
  });

  it('refuses a tree outside the roots', async () => {
    const reader = await createReader();
    await expect(reader.readTree(urlOf(outside))).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('refuses the tree of a hidden directory', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, '.plinth'));
    await expect(reader.readTree(url)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Cannot read '${url}': its path has the hidden segment '.plinth', and file: URLs never read hidden files or directories. Keep the files to read outside hidden directories.`,
    });
  });

  it('refuses a search whose base is outside the roots', async () => {
    const reader = await createReader();
    await expect(reader.search(`${urlOf(outside)}/**/*.yaml`)).rejects.toThrow(
      `Cannot read '${urlOf(outside)}/**/*.yaml': it is outside the directories that file: URLs may read. To allow it, add a directory that contains it to 'backend.reading.fileRoots'.`,
    );
  });

  it('refuses a search whose base is a hidden directory', async () => {
    const reader = await createReader();
    const url = `${urlOf(root)}/.plinth/*`;
    await expect(reader.search(url)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Cannot read '${url}': its path has the hidden segment '.plinth', and file: URLs never read hidden files or directories. Keep the files to read outside hidden directories.`,
    });
  });

  it('refuses to search for one hidden file', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, '.env'));
    await expect(reader.search(url)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });
});
