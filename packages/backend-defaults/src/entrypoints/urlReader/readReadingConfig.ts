import path from 'node:path';
import type { Config } from '@plinth/backend-plugin-api';
import picomatch from 'picomatch';
import { readDurationFromConfig } from '../rootConfig/readDurationFromConfig';
import { readSizeFromConfig } from '../rootConfig/readSizeFromConfig';
import { HostAllowList } from './fetch/HostAllowList';
import { fileRootsConfigKey } from './file/FileRoots';

/** `backend.reading`, parsed and checked. */
export interface ReadingConfig {
  allowList: HostAllowList;
  /** Absolute directories. */
  fileRoots: string[];
  /** Bytes. */
  maxSize: number;
  timeoutMs: number;
}

const defaultMaxSize = 20 * 1024 ** 2;
const defaultTimeoutMs = 60_000;

/**
 * The directories of the `file` entries of `catalog.locations`: for a
 * plain target the directory that holds it, for a glob its base directory
 * (`./catalog` for `./catalog/**\/*.yaml`), relative targets resolved
 * against the working directory as the catalog resolves them.
 *
 * @remarks
 * The catalog is the one built-in reader of local files, and its
 * configured locations say which files it is meant to read; the config is
 * global and written by the operator, so reading another plugin's key
 * trusts nothing a caller controls. Anything wider, such as the whole
 * repository, would let a caller of the catalog's API read the backend's
 * own config and secrets through `file:` URLs.
 */
function readCatalogFileDirectories(config: Config): string[] {
  const locations = config.getOptionalConfigArray('catalog.locations') ?? [];
  const directories = locations
    .filter(location => location.getOptionalString('type') === 'file')
    .map(location => {
      const target = path.resolve(location.getString('target'));
      const scan = picomatch.scan(target);
      if (!scan.isGlob) {
        return path.dirname(target);
      }
      return scan.base || path.parse(target).root;
    });
  return [...new Set(directories)];
}

/**
 * Reads `backend.reading`. Relative `fileRoots` are resolved against
 * `rootDirectory`; without `fileRoots`, the roots are the directories of
 * the `file` locations in `catalog.locations`, and without those, no
 * `file:` URL may be read.
 *
 * @throws {@link @plinth/backend-defaults#InvalidConfigError} naming the first
 *   invalid key.
 */
export function readReadingConfig(
  config: Config,
  rootDirectory: string,
): ReadingConfig {
  const fileRoots =
    config
      .getOptionalStringArray(fileRootsConfigKey)
      ?.map(root => path.resolve(rootDirectory, root)) ??
    readCatalogFileDirectories(config);
  const timeoutMs =
    readDurationFromConfig(config, 'backend.reading.timeout', {
      allowZero: false,
    }) ?? defaultTimeoutMs;
  return {
    allowList: HostAllowList.fromConfig(config),
    fileRoots,
    maxSize:
      readSizeFromConfig(config, 'backend.reading.maxSize') ?? defaultMaxSize,
    timeoutMs,
  };
}
