import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { lockFileName } from './DataDirectoryLock';

/** The file whose presence makes a directory a PostgreSQL data directory. */
export const pgVersionFile = 'PG_VERSION';

/** Written last into a finished template: which PGlite made it. */
const manifestFile = 'plinth-template.json';

/** A temporary template older than this was left by a crash. */
const abandonedDraftMillis = 60 * 60_000;

/**
 * Runs initdb through PGlite in a process of its own: initdb peaks near
 * 900 MiB, and a backend that ran it keeps ~130 MiB more than one that
 * did not. Plain JavaScript, so that it runs the same under a transpiler,
 * from compiled output and under Jest.
 *
 * PostgreSQL zeroes all of shared_buffers at start, and initdb's 128MB
 * are then resident in every backend; 32MB takes ~90 MiB off a running
 * backend. ALTER SYSTEM writes it to postgresql.auto.conf, where a user
 * may change it like any other setting.
 */
const initdbScript = `
const { PGlite } = require(process.argv[1]);
const pglite = new PGlite(process.argv[2]);
pglite.waitReady
  .then(() => pglite.exec("ALTER SYSTEM SET shared_buffers = '32MB'"))
  .then(() => pglite.close())
  .catch(error => {
    process.stderr.write(String((error && error.stack) || error));
    process.exitCode = 1;
  });
`;

/**
 * Says what a template holds; a template whose manifest differs is stale.
 * Raise `revision` whenever {@link initdbScript} changes what it makes.
 */
const revision = 1;

/** Creates a fresh PGlite data directory in an empty `directory`. */
export type Initdb = (directory: string) => Promise<void>;

/**
 * A freshly initialised PGlite data directory kept in a cache, copied into
 * every new data directory instead of running initdb there: a copy takes a
 * few hundred milliseconds and no extra memory, initdb seconds and
 * ~600 MiB. `yarn install` prepares it (the root `postinstall`), so the
 * first `yarn start` of a fresh clone does not run initdb at all.
 *
 * A template is only used when its manifest names the installed PGlite
 * version; it is made in a temporary directory and renamed into place, so
 * a crash never leaves a half-made template under the real name.
 */
export class PgliteTemplate {
  readonly #cacheDirectory: string;
  readonly #pgliteVersion: string;
  readonly #initdb: Initdb;

  /**
   * The template of the installed PGlite, cached in
   * `node_modules/.cache/plinth-pglite` beside it: it goes with the
   * install it was made for; tests pass another `cacheDirectory`.
   */
  static default(options: { cacheDirectory?: string } = {}): PgliteTemplate {
    const { root, version } = installedPglite();
    return new PgliteTemplate({
      cacheDirectory:
        options.cacheDirectory ??
        path.join(root, '..', '..', '.cache', 'plinth-pglite'),
      pgliteVersion: version,
    });
  }

  constructor(options: {
    cacheDirectory: string;
    pgliteVersion: string;
    initdb?: Initdb;
  }) {
    this.#cacheDirectory = options.cacheDirectory;
    this.#pgliteVersion = options.pgliteVersion;
    this.#initdb = options.initdb ?? initdbInChildProcess;
  }

  /** Where the template of this PGlite version lives once prepared. */
  get directory(): string {
    return path.join(this.#cacheDirectory, this.#pgliteVersion);
  }

  /**
   * Makes the template unless a valid one exists. Processes preparing it
   * at once each make one and the first rename wins; a template of another
   * PGlite version, or without a manifest, is replaced.
   * @returns whether this call made the template.
   */
  async prepare(): Promise<boolean> {
    if (await this.isValid()) {
      return false;
    }
    await fs.mkdir(this.#cacheDirectory, { recursive: true });
    const draft = `${this.directory}.${randomUUID()}.tmp`;
    try {
      await fs.mkdir(draft);
      await this.#initdb(draft);
      await fs.access(path.join(draft, pgVersionFile));
      await fs.writeFile(path.join(draft, manifestFile), this.#manifest());
      await this.#install(draft);
    } finally {
      await fs.rm(draft, { recursive: true, force: true });
    }
    await this.#removeOthers();
    return true;
  }

  /** Whether a finished template of this PGlite version is in place. */
  async isValid(): Promise<boolean> {
    try {
      const manifest = path.join(this.directory, manifestFile);
      return (await fs.readFile(manifest, 'utf8')) === this.#manifest();
    } catch {
      return false;
    }
  }

  #manifest(): string {
    return JSON.stringify({ pglite: this.#pgliteVersion, revision });
  }

  /**
   * Copies the template into a data directory that is empty but for lock
   * files, or holds a copy cut short. The template's manifest goes in
   * first and out last, marking a copy in progress, and
   * {@link pgVersionFile} goes in after every other file: PGlite takes a
   * directory with that file for a database, so a copy cut short is
   * copied again on the next start rather than opened. Synchronous,
   * because Node's asynchronous copy of the ~1000 small files takes three
   * times as long, and this runs once, while starting.
   * @returns false, copying nothing, when the directory holds a database
   * or files of its own, which are left to PGlite as they are.
   */
  copyTo(dataDirectory: string): boolean {
    const names = readdirSync(dataDirectory);
    const copying = names.includes(manifestFile);
    if (
      names.includes(pgVersionFile) ||
      (!copying && names.some(name => !name.startsWith(lockFileName)))
    ) {
      return false;
    }
    const versionFile = path.join(this.directory, pgVersionFile);
    const manifest = path.join(this.directory, manifestFile);
    const marker = path.join(dataDirectory, manifestFile);
    cpSync(manifest, marker);
    cpSync(this.directory, dataDirectory, {
      recursive: true,
      filter: source => source !== versionFile && source !== manifest,
    });
    cpSync(versionFile, path.join(dataDirectory, pgVersionFile));
    rmSync(marker);
    return true;
  }

  /** Renames a finished draft into place, replacing an invalid template. */
  async #install(draft: string): Promise<void> {
    for (;;) {
      try {
        await fs.rename(draft, this.directory);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') {
          throw error;
        }
      }
      if (await this.isValid()) {
        // Another process finished first; its template serves as well.
        return;
      }
      // Moved aside before removal, so that no process copies from a
      // template that is half deleted.
      const stale = `${this.directory}.${randomUUID()}.stale`;
      await fs.rename(this.directory, stale).catch(() => {});
      await fs.rm(stale, { recursive: true, force: true });
    }
  }

  /** Removes templates of other PGlite versions and abandoned drafts. */
  async #removeOthers(): Promise<void> {
    const current = path.basename(this.directory);
    for (const name of await fs.readdir(this.#cacheDirectory)) {
      if (name === current) {
        continue;
      }
      const entry = path.join(this.#cacheDirectory, name);
      if (name.endsWith('.tmp')) {
        const { mtimeMs } = await fs.stat(entry).catch(() => ({ mtimeMs: 0 }));
        if (Date.now() - mtimeMs < abandonedDraftMillis) {
          continue;
        }
      }
      await fs.rm(entry, { recursive: true, force: true });
    }
  }
}

function installedPglite(): { root: string; version: string } {
  const main = require.resolve('@electric-sql/pglite');
  const packagePath = path.join('node_modules', '@electric-sql', 'pglite');
  const at = main.lastIndexOf(packagePath);
  if (at < 0) {
    throw new Error(
      `PGlite resolved to '${main}', outside a node_modules folder, so its template has no cache folder.`,
    );
  }
  const root = main.slice(0, at + packagePath.length);
  const { version } = JSON.parse(
    readFileSync(path.join(root, 'package.json'), 'utf8'),
  ) as { version: string };
  return { root, version };
}

async function initdbInChildProcess(directory: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    ['-e', initdbScript, require.resolve('@electric-sql/pglite'), directory],
    { maxBuffer: 16 * 1024 * 1024 },
  );
}
