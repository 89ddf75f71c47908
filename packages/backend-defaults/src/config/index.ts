/**
 * The config library: reading and merging config files, `${VAR}`
 * substitution, validation against the config schemas of the backend's
 * packages, and typed readers. The root config service loads config with
 * it; other services read durations, sizes and the repository root with it.
 */
export { ConfigReader, type ConfigSource } from './ConfigReader';
export {
  DefaultRootConfigService,
  readConfigSecrets,
  readConfigWarnings,
  type DefaultRootConfigServiceOptions,
} from './DefaultRootConfigService';
export type { PackageConfigSchema } from './collectConfigSchemas';
export { findRootDir } from './loadConfigSources';
export { isPrototypeKey } from './prototypeKeys';
export {
  parseDuration,
  readDurationFromConfig,
  readSizeFromConfig,
  type ReadDurationFromConfigOptions,
} from './durationsAndSizes';
