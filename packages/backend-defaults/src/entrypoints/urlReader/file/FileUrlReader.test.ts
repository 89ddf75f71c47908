import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable } from 'node:stream';
import { list as listTar } from 'tar';
import { FileUrlReader } from './FileUrlReader';

let tmp: string;
let root: string;
let outside: string;
const fixedTime = new Date('2024-05-01T12:00:00Z');

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  fs.utimesSync(file, fixedTime, fixedTime);
}

function urlOf(file: string): string {
  return pathToFileURL(file).href;
}

function createReader(
  options: { fileRoots?: string[]; maxSize?: number } = {},
): Promise<FileUrlReader> {
  return FileUrlReader.create({
    fileRoots: options.fileRoots ?? [root],
    maxSize: options.maxSize ?? 1024,
  });
}

async function listArchive(archive: Readable): Promise<string[]> {
  const paths: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const parser = listTar({ onReadEntry: entry => paths.push(entry.path) });
    parser.on('end', resolve);
    parser.on('error', reject);
    archive.on('error', reject);
    archive.pipe(parser);
  });
  return paths;
}

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'file-reader-')));
  root = path.join(tmp, 'root');
  outside = path.join(tmp, 'outside');
  write(path.join(root, 'catalog-info.yaml'), 'kind: Component\n');
  write(path.join(root, 'docs', 'a.md'), '# A\n');
  write(path.join(root, 'docs', 'sub', 'b.md'), '# B, longer\n');
  write(path.join(root, 'services', 'x', 'catalog-info.yaml'), 'x\n');
  write(path.join(root, 'services', 'y', 'catalog-info.yaml'), 'y\n');
  write(path.join(root, 'node_modules', 'p', 'catalog-info.yaml'), 'dep\n');
  write(path.join(root, '.git', 'catalog-info.yaml'), 'git\n');
  write(path.join(root, 'scoped', '@note.md'), 'note\n');
  write(path.join(root, '.env'), 'TOKEN=s3cret\n');
  write(path.join(root, '.plinth', 'dev-token'), 's3cret\n');
  write(path.join(root, 'app-config.local.yaml'), 'secret: s3cret\n');
  write(
    path.join(root, 'services', 'x', '.github', 'catalog-info.yaml'),
    'g\n',
  );
  write(path.join(root, 'services', 'x', 'app-config.yaml'), 'secret\n');
  write(path.join(outside, 'secret.yaml'), 'secret\n');
  fs.symlinkSync(
    path.join(root, 'catalog-info.yaml'),
    path.join(root, 'docs', 'linked.yaml'),
  );
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
  fs.symlinkSync(
    path.join(root, 'nowhere.yaml'),
    path.join(root, 'docs', 'dangling.yaml'),
  );
  fs.symlinkSync(root, path.join(tmp, 'root-link'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('FileUrlReader', () => {
  it('reads a file inside a root with a content hash ETag', async () => {
    const reader = await createReader();
    const response = await reader.readUrl(
      urlOf(path.join(root, 'catalog-info.yaml')),
    );
    expect((await response.buffer()).toString()).toBe('kind: Component\n');
    expect(response.etag).toBe(
      createHash('sha256').update('kind: Component\n').digest('hex'),
    );
    expect(response.lastModifiedAt).toEqual(fixedTime);
  });

  it('streams the content it read', async () => {
    const reader = await createReader();
    const response = await reader.readUrl(urlOf(path.join(root, 'docs/a.md')));
    const chunks: Buffer[] = [];
    for await (const chunk of response.stream!()) {
      chunks.push(chunk as Buffer);
    }
    expect(Buffer.concat(chunks).toString()).toBe('# A\n');
  });

  it('reads through a root that is configured as a symbolic link', async () => {
    const reader = await createReader({
      fileRoots: [path.join(tmp, 'root-link')],
    });
    for (const dir of [root, path.join(tmp, 'root-link')]) {
      const response = await reader.readUrl(
        urlOf(path.join(dir, 'catalog-info.yaml')),
      );
      expect((await response.buffer()).toString()).toBe('kind: Component\n');
    }
  });

  it('reads a symbolic link whose target is inside the roots', async () => {
    const reader = await createReader();
    const response = await reader.readUrl(
      urlOf(path.join(root, 'docs', 'linked.yaml')),
    );
    expect((await response.buffer()).toString()).toBe('kind: Component\n');
  });

  it('reports a missing file as NotFoundError without its server path', async () => {
    const reader = await createReader();
    const file = path.join(root, 'missing.yaml');
    await expect(reader.readUrl(urlOf(file))).rejects.toMatchObject({
      name: 'NotFoundError',
      message: `Cannot read '${urlOf(file)}': nothing exists there. Check the path in the URL.`,
    });
  });

  it('masks query values and the fragment of a missing file URL', async () => {
    const reader = await createReader();
    const file = path.join(root, 'missing.yaml');
    await expect(
      reader.readUrl(`${urlOf(file)}?token=s3cret#s3cret`),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: `Cannot read '${urlOf(file)}?token=***#***': nothing exists there. Check the path in the URL.`,
    });
  });

  it('refuses to read a directory as a file', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, 'docs'));
    await expect(reader.readUrl(url)).rejects.toMatchObject({
      name: 'InputError',
      message: `Cannot read '${url}': it is a directory. Use readTree() for a directory, or search() with a glob pattern.`,
    });
  });

  it('refuses a file URL with a remote host', async () => {
    const reader = await createReader();
    await expect(
      reader.readUrl('file://fileserver/share/a.yaml'),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Cannot read 'file://fileserver/share/a.yaml': it is not a local file URL (File URL host must be \"localhost\" or empty on linux). Use a URL such as 'file:///path/to/file.yaml'.",
    });
  });

  it('throws NotModifiedError when the ETag is unchanged', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, 'catalog-info.yaml'));
    const { etag } = await reader.readUrl(url);
    await expect(reader.readUrl(url, { etag })).rejects.toMatchObject({
      name: 'NotModifiedError',
      message: `'${url}' has not changed: its content still has ETag '${etag}'.`,
    });
    await expect(reader.readUrl(url, { etag: 'older' })).resolves.toMatchObject(
      { etag },
    );
  });

  it('throws NotModifiedError when the file is not newer than lastModifiedAfter', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, 'catalog-info.yaml'));
    await expect(
      reader.readUrl(url, { lastModifiedAfter: fixedTime }),
    ).rejects.toMatchObject({
      name: 'NotModifiedError',
      message: `'${url}' has not changed since 2024-05-01T12:00:00.000Z.`,
    });
    const earlier = new Date(fixedTime.getTime() - 1000);
    await expect(
      reader.readUrl(url, { lastModifiedAfter: earlier }),
    ).resolves.toMatchObject({ lastModifiedAt: fixedTime });
  });

  it('refuses a file larger than the limit', async () => {
    const reader = await createReader({ maxSize: 8 });
    const url = urlOf(path.join(root, 'catalog-info.yaml'));
    await expect(reader.readUrl(url)).rejects.toMatchObject({
      name: 'RuntimeServiceError',
      code: 'URL_READ_TOO_LARGE',
      message: `Cannot read '${url}': the file has 16 bytes, more than the limit of 8 bytes. Raise 'backend.reading.maxSize' to read it.`,
    });
  });

  it('lists the files of a tree, skipping node_modules, hidden and app-config names, and links that leave the roots or lead to those', async () => {
    const reader = await createReader();
    const tree = await reader.readTree(urlOf(root));
    const files = await tree.files();
    expect(files.map(file => file.path)).toEqual([
      'catalog-info.yaml',
      'docs/a.md',
      'docs/linked.yaml',
      'docs/sub/b.md',
      'scoped/@note.md',
      'services/x/catalog-info.yaml',
      'services/y/catalog-info.yaml',
    ]);
    expect((await files[3].content()).toString()).toBe('# B, longer\n');
    expect(files[3].lastModifiedAt).toEqual(fixedTime);
  });

  it('keeps only the tree files that the filter accepts, given their size', async () => {
    const reader = await createReader();
    const filter = jest.fn(
      (file: string, info?: { size: number }) =>
        file.startsWith('docs/') && (info?.size ?? 0) > 5,
    );
    const tree = await reader.readTree(urlOf(root), { filter });
    expect((await tree.files()).map(file => file.path)).toEqual([
      'docs/linked.yaml',
      'docs/sub/b.md',
    ]);
    expect(filter).toHaveBeenCalledWith('docs/a.md', { size: 4 });
  });

  it('throws NotModifiedError when the tree ETag is unchanged', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, 'docs'));
    const { etag } = await reader.readTree(url);
    await expect(reader.readTree(url, { etag })).rejects.toMatchObject({
      name: 'NotModifiedError',
      message: `'${url}' has not changed: its content still has ETag '${etag}'.`,
    });
  });

  it('changes the tree ETag when a file changes', async () => {
    const reader = await createReader();
    const dir = path.join(tmp, 'root', 'changing');
    write(path.join(dir, 'a.txt'), 'one');
    const before = await reader.readTree(urlOf(dir));
    write(path.join(dir, 'a.txt'), 'three');
    const after = await reader.readTree(urlOf(dir), { etag: before.etag });
    expect(after.etag).not.toBe(before.etag);
    fs.rmSync(dir, { recursive: true });
  });

  it('archives a tree as a tar stream of its files', async () => {
    const reader = await createReader();
    const tree = await reader.readTree(urlOf(path.join(root, 'docs')));
    expect(await listArchive(await tree.archive())).toEqual([
      'a.md',
      'linked.yaml',
      'sub/b.md',
    ]);
  });

  it('archives a file whose name starts with @ as a file', async () => {
    const reader = await createReader();
    const tree = await reader.readTree(urlOf(path.join(root, 'scoped')));
    expect(await listArchive(await tree.archive())).toEqual(['./@note.md']);
  });

  it('writes a tree to a target directory', async () => {
    const reader = await createReader();
    const tree = await reader.readTree(urlOf(path.join(root, 'docs')));
    const target = path.join(tmp, 'copy');
    await expect(tree.dir({ targetDir: target })).resolves.toBe(target);
    expect(fs.readFileSync(path.join(target, 'sub', 'b.md'), 'utf8')).toBe(
      '# B, longer\n',
    );
    expect(fs.lstatSync(path.join(target, 'linked.yaml')).isFile()).toBe(true);
  });

  it('writes a tree to a new temporary directory by default', async () => {
    const reader = await createReader();
    const tree = await reader.readTree(urlOf(path.join(root, 'docs', 'sub')));
    const target = await tree.dir();
    expect(fs.readdirSync(target)).toEqual(['b.md']);
    fs.rmSync(target, { recursive: true });
  });

  it('refuses to read a file as a tree', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, 'catalog-info.yaml'));
    await expect(reader.readTree(url)).rejects.toMatchObject({
      name: 'InputError',
      message: `Cannot read the tree at '${url}': it is a file, not a directory. Use readUrl() for a single file.`,
    });
  });

  it('finds every file that a glob matches, outside node_modules and hidden directories and without app-config files', async () => {
    const reader = await createReader();
    const result = await reader.search(`${urlOf(root)}/**/catalog-info.yaml`);
    expect(result.files.map(file => file.url)).toEqual([
      urlOf(path.join(root, 'catalog-info.yaml')),
      urlOf(path.join(root, 'services/x/catalog-info.yaml')),
      urlOf(path.join(root, 'services/y/catalog-info.yaml')),
    ]);
    expect((await result.files[1].content()).toString()).toBe('x\n');
    expect(result.files[1].lastModifiedAt).toEqual(fixedTime);
  });

  it('matches single-segment wildcards and braces', async () => {
    const reader = await createReader();
    const stars = await reader.search(
      `${urlOf(root)}/services/*/catalog-info.yaml`,
    );
    expect(stars.files).toHaveLength(2);
    const braces = await reader.search(`${urlOf(root)}/docs/{a.md,sub/b.md}`);
    expect(braces.files.map(file => file.url)).toEqual([
      urlOf(path.join(root, 'docs/a.md')),
      urlOf(path.join(root, 'docs/sub/b.md')),
    ]);
  });

  it('throws NotModifiedError when the search ETag is unchanged', async () => {
    const reader = await createReader();
    const url = `${urlOf(root)}/**/catalog-info.yaml`;
    const { etag } = await reader.search(url);
    await expect(reader.search(url, { etag })).rejects.toMatchObject({
      name: 'NotModifiedError',
      message: `'${url}' has not changed: its content still has ETag '${etag}'.`,
    });
  });

  it('searches a URL without patterns as that one file', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, 'catalog-info.yaml'));
    const result = await reader.search(url);
    expect(result.files.map(file => file.url)).toEqual([url]);
  });

  it('finds nothing for a missing file or a missing base directory', async () => {
    const reader = await createReader();
    const missingFile = await reader.search(urlOf(path.join(root, 'no.yaml')));
    const missingBase = await reader.search(`${urlOf(root)}/nope/**/*.yaml`);
    expect(missingFile.files).toEqual([]);
    expect(missingBase.files).toEqual([]);
    expect(missingBase.etag).toBe(missingFile.etag);
  });

  it('refuses to search a directory without a pattern', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(root, 'docs'));
    await expect(reader.search(url)).rejects.toMatchObject({
      name: 'InputError',
      message: `Cannot search '${url}': it is a directory and has no glob pattern. Add a pattern such as '**/catalog-info.yaml' to the URL.`,
    });
  });

  it('skips hidden directories and app-config files that a glob names', async () => {
    const reader = await createReader();
    const inDirectories = await reader.search(
      `${urlOf(root)}/{.plinth,docs}/*`,
    );
    expect(inDirectories.files.map(file => file.url)).toEqual([
      urlOf(path.join(root, 'docs/a.md')),
      urlOf(path.join(root, 'docs/linked.yaml')),
    ]);
    const byName = await reader.search(
      `${urlOf(root)}/{.env,app-config.local.yaml,catalog-info.yaml}`,
    );
    expect(byName.files.map(file => file.url)).toEqual([
      urlOf(path.join(root, 'catalog-info.yaml')),
    ]);
  });

  it('applies the size limit to the content of search results', async () => {
    const reader = await createReader({ maxSize: 8 });
    const result = await reader.search(`${urlOf(root)}/*.yaml`);
    await expect(result.files[0].content()).rejects.toMatchObject({
      code: 'URL_READ_TOO_LARGE',
      message: `Cannot read '${urlOf(path.join(root, 'catalog-info.yaml'))}': the file has 16 bytes, more than the limit of 8 bytes. Raise 'backend.reading.maxSize' to read it.`,
    });
  });
});
