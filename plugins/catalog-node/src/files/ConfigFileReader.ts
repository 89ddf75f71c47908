import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  Config,
  LoggerService,
  UrlReaderService,
} from '@plinth/backend-plugin-api';
import { NotAllowedError, isError } from '@plinth/errors';
import picomatch from 'picomatch';
import type { LocationSpec } from '../processing/CatalogProcessor';
import { LocalFileRoots, toFileSystemError } from './LocalFileRoots';

/**
 * A file read for a config location, with its absolute path.
 *
 * @public
 */
export interface ConfigFile {
  path: string;
  data: Buffer;
}

/**
 * Options of {@link ConfigFileReader.fromConfig}.
 *
 * @public
 */
export interface ConfigFileReaderOptions {
  /** The root config: `catalog.locations` and `backend.reading.fileRoots`. */
  config: Config;
  /** Asked first, for every file. */
  reader: UrlReaderService;
  /** Where refusals are logged with the server paths their messages leave out. */
  logger?: LoggerService;
  /**
   * What relative `backend.reading.fileRoots` start from.
   * @defaultValue the nearest ancestor of the working directory whose
   *   `package.json` has `workspaces`, else the working directory
   */
  rootDirectory?: string;
}

/**
 * Reads the local files of `file` locations from config: through the URL
 * reader as `file:` URLs, and straight from disk when the URL reader
 * refuses `file:` URLs, as Backstage's does.
 *
 * @remarks
 * Disk reads follow the rules of Plinth's own `file:` reader: only below
 * `backend.reading.fileRoots`, by default the directories of the `file`
 * entries of `catalog.locations`, as written and after resolving symbolic
 * links; never hidden files or directories, nor `app-config*` files. They
 * are made only for entities whose origin location is a `file` entry of
 * `catalog.locations`: a location registered through the API never
 * reaches the disk this way, whatever its type.
 *
 * @public
 */
export class ConfigFileReader {
  readonly #reader: UrlReaderService;
  readonly #roots: LocalFileRoots;
  readonly #configTargets: ReadonlySet<string>;

  /** Reads `catalog.locations` and `backend.reading.fileRoots` now. */
  static fromConfig(options: ConfigFileReaderOptions): ConfigFileReader {
    const locations = (
      options.config.getOptionalConfigArray('catalog.locations') ?? []
    ).filter(location => location.getOptionalString('type') === 'file');
    const targets = locations.map(location =>
      path.resolve(location.getString('target')),
    );
    const rootDirectory =
      options.rootDirectory ?? findWorkspaceRoot(process.cwd());
    const roots =
      options.config
        .getOptionalStringArray('backend.reading.fileRoots')
        ?.map(root => path.resolve(rootDirectory, root)) ??
      targets.map(toBaseDirectory);
    return new ConfigFileReader(
      options.reader,
      new LocalFileRoots([...new Set(roots)], options.logger),
      new Set(targets),
    );
  }

  private constructor(
    reader: UrlReaderService,
    roots: LocalFileRoots,
    configTargets: ReadonlySet<string>,
  ) {
    this.#reader = reader;
    this.#roots = roots;
    this.#configTargets = configTargets;
  }

  /** Whether entities of this origin location may be read from disk. */
  isConfigLocation(origin: LocationSpec | undefined): boolean {
    return (
      origin?.type === 'file' &&
      this.#configTargets.has(path.resolve(origin.target))
    );
  }

  /**
   * Reads one file for an entity of the `origin` location.
   *
   * @throws NotFoundError when nothing exists there; NotAllowedError when
   *   the rules above refuse it; otherwise as the URL reader throws.
   */
  async readFile(filePath: string, origin?: LocationSpec): Promise<Buffer> {
    const url = pathToFileURL(filePath).href;
    try {
      return await (await this.#reader.readUrl(url)).buffer();
    } catch (error) {
      if (!this.#mayReadDisk(error, origin)) {
        throw error;
      }
    }
    const realPath = await this.#roots.resolve(url, filePath);
    return readBounded(url, realPath);
  }

  /**
   * Reads every file a glob path matches for an entity of the `origin`
   * location, sorted by path.
   *
   * @throws NotAllowedError when the rules above refuse the glob's base
   *   directory; otherwise as the URL reader throws.
   */
  async search(globPath: string, origin?: LocationSpec): Promise<ConfigFile[]> {
    const url = pathToFileURL(globPath).href;
    let files: ConfigFile[];
    try {
      const response = await this.#reader.search(url);
      files = await Promise.all(
        response.files.map(async file => ({
          path: path.normalize(fileURLToPath(file.url)),
          data: await file.content(),
        })),
      );
    } catch (error) {
      if (!this.#mayReadDisk(error, origin)) {
        throw error;
      }
      files = await this.#searchDisk(globPath);
    }
    return files.sort((a, b) => a.path.localeCompare(b.path));
  }

  async #searchDisk(globPath: string): Promise<ConfigFile[]> {
    const { base, glob } = picomatch.scan(globPath);
    const baseDir = base || path.parse(globPath).root;
    const matches = picomatch(glob, { dot: false });
    let realBase: string;
    try {
      realBase = await this.#roots.resolve(
        pathToFileURL(baseDir).href,
        baseDir,
      );
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') {
        return [];
      }
      throw error;
    }
    const found = await this.#roots.listFiles(realBase);
    return Promise.all(
      found
        .filter(relative => matches(relative))
        .map(async relative => {
          const filePath = path.join(baseDir, ...relative.split('/'));
          return {
            path: filePath,
            data: await readBounded(
              pathToFileURL(filePath).href,
              path.join(realBase, relative),
            ),
          };
        }),
    );
  }

  /**
   * Whether the URL reader refused `file:` URLs (Backstage's answers
   * `NotAllowedError`; one without a `file:` reader at all may answer
   * `InputError`) for an entity that may read local files.
   */
  #mayReadDisk(error: unknown, origin: LocationSpec | undefined): boolean {
    return (
      isError(error) &&
      (error.name === 'NotAllowedError' || error.name === 'InputError') &&
      this.isConfigLocation(origin)
    );
  }
}

/** As Plinth's URL reader caps reads by default, `backend.reading.maxSize`. */
const maxFileSize = 20 * 1024 ** 2;

async function readBounded(url: string, realPath: string): Promise<Buffer> {
  let size: number;
  let data: Buffer;
  try {
    size = (await fs.promises.stat(realPath)).size;
    data =
      size > maxFileSize
        ? Buffer.alloc(0)
        : await fs.promises.readFile(realPath);
  } catch (error) {
    throw toFileSystemError(url, error);
  }
  if (size > maxFileSize) {
    throw new NotAllowedError(
      `Cannot read '${url}': it has ${size} bytes, more than the ${maxFileSize} a catalog file may have. Split it into smaller files.`,
    );
  }
  return data;
}

/** The directory a config target's files live in: its folder, or a glob's base. */
function toBaseDirectory(target: string): string {
  const scan = picomatch.scan(target);
  if (!scan.isGlob) {
    return path.dirname(target);
  }
  return scan.base || path.parse(target).root;
}

/**
 * The repository root, as Plinth's URL reader finds it: the nearest
 * ancestor of `start` whose `package.json` declares `workspaces`.
 */
function findWorkspaceRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(
        fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
      ) as { workspaces?: unknown };
      if (manifest.workspaces) {
        return dir;
      }
    } catch {
      // No readable package.json here; keep going up.
    }
    if (path.dirname(dir) === dir) {
      return start;
    }
  }
}
