import path from 'node:path';
import type { Config } from '@plinth/backend-plugin-api';
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
 * Reads `backend.reading`: relative file roots are resolved against
 * `rootDirectory`, which is also the only root when none are configured.
 *
 * @throws {@link @plinth/backend-defaults#InvalidConfigError} naming the first
 *   invalid key.
 */
export function readReadingConfig(
  config: Config,
  rootDirectory: string,
): ReadingConfig {
  const roots = config.getOptionalStringArray(fileRootsConfigKey) ?? [
    rootDirectory,
  ];
  const timeoutMs =
    readDurationFromConfig(config, 'backend.reading.timeout', {
      allowZero: false,
    }) ?? defaultTimeoutMs;
  return {
    allowList: HostAllowList.fromConfig(config),
    fileRoots: roots.map(root => path.resolve(rootDirectory, root)),
    maxSize:
      readSizeFromConfig(config, 'backend.reading.maxSize') ?? defaultMaxSize,
    timeoutMs,
  };
}
