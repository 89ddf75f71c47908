import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileUrlReader } from './FileUrlReader';

let tmp: string;
let catalog: string;
let team: string;
let looping: string;

function urlOf(file: string): string {
  return pathToFileURL(file).href;
}

function createReader(): Promise<FileUrlReader> {
  return FileUrlReader.create({ fileRoots: [tmp], maxSize: 1024 });
}

/** Makes listing `dir` fail with `error`; every other directory lists. */
function failReaddir(dir: string, error: Error): void {
  const readdir = fs.promises.readdir;
  jest
    .spyOn(fs.promises, 'readdir')
    .mockImplementation(((target: fs.PathLike, options: unknown) =>
      target === dir
        ? Promise.reject(error)
        : readdir(target, options as { withFileTypes: true })) as never);
}

function osError(code: string, syscall: string, file: string): Error {
  return Object.assign(new Error(`${code}: failed, ${syscall} '${file}'`), {
    code,
    syscall,
    path: file,
  });
}

beforeAll(() => {
  tmp = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), 'file-reader-errors-')),
  );
  catalog = path.join(tmp, 'catalog');
  team = path.join(catalog, 'team');
  looping = path.join(tmp, 'looping');
  fs.mkdirSync(team, { recursive: true });
  fs.writeFileSync(path.join(catalog, 'a.yaml'), 'a\n');
  fs.writeFileSync(path.join(team, 'b.yaml'), 'b\n');
  fs.symlinkSync(path.join(tmp, 'gone.yaml'), path.join(catalog, 'gone.yaml'));
  fs.mkdirSync(looping);
  fs.writeFileSync(path.join(looping, 'a.yaml'), 'a\n');
  // A link to itself: resolving it fails with ELOOP, whoever runs the test.
  fs.symlinkSync('loop.yaml', path.join(looping, 'loop.yaml'));
});

afterEach(() => {
  jest.restoreAllMocks();
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('FileUrlReader', () => {
  it('fails a search, rather than leave a file out, when a link below cannot be resolved', async () => {
    const reader = await createReader();
    const url = `${urlOf(looping)}/*.yaml?token=s3cret`;
    await expect(reader.search(url)).rejects.toMatchObject({
      name: 'Error',
      message: `Cannot search '${urlOf(looping)}/*.yaml?token=***': a file or directory there could not be read (ELOOP). Check that the backend's host can read the files there.`,
      cause: { code: 'ELOOP' },
    });
  });

  it('fails to read a link that cannot be resolved, naming only the URL', async () => {
    const reader = await createReader();
    const url = urlOf(path.join(looping, 'loop.yaml'));
    await expect(reader.readUrl(url)).rejects.toMatchObject({
      name: 'Error',
      message: `Cannot read '${url}': a file or directory there could not be read (ELOOP). Check that the backend's host can read the files there.`,
      cause: { code: 'ELOOP' },
    });
  });

  it('fails the tree, rather than leave a file out, when a link below cannot be resolved', async () => {
    const reader = await createReader();
    await expect(reader.readTree(urlOf(looping))).rejects.toThrow(
      `Cannot read the tree at '${urlOf(looping)}': a file or directory there could not be read (ELOOP). Check that the backend's host can read the files there.`,
    );
  });

  it('fails a search when a directory below cannot be listed, keeping the code but not the path as the cause', async () => {
    const denied = osError('EACCES', 'scandir', team);
    failReaddir(team, denied);
    const reader = await createReader();
    const url = `${urlOf(catalog)}/**/*.yaml`;
    const error = await reader.search(url).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toMatchObject({
      name: 'Error',
      message: `Cannot search '${url}': a file or directory there could not be read (EACCES). Check that the backend's host can read the files there.`,
    });
    expect(error?.cause).toMatchObject({
      code: 'EACCES',
      message: 'EACCES during scandir',
    });
    expect(JSON.stringify(error, ['message', 'cause'])).not.toContain(team);
  });

  it('fails the tree when a directory below cannot be listed', async () => {
    failReaddir(team, osError('EIO', 'scandir', team));
    const reader = await createReader();
    await expect(reader.readTree(urlOf(catalog))).rejects.toThrow(
      `Cannot read the tree at '${urlOf(catalog)}': a file or directory there could not be read (EIO). Check that the backend's host can read the files there.`,
    );
  });

  it('leaves out a directory that vanishes during the walk and a link to nothing', async () => {
    failReaddir(team, osError('ENOENT', 'scandir', team));
    const reader = await createReader();
    const result = await reader.search(`${urlOf(catalog)}/**/*.yaml`);
    expect(result.files.map(file => file.url)).toEqual([
      urlOf(path.join(catalog, 'a.yaml')),
    ]);
  });
});
