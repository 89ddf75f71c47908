export { rootConfigServiceFactory } from './rootConfigServiceFactory';
export {
  ConfigReader,
  DefaultRootConfigService,
  findRootDir,
  readConfigSecrets,
  readConfigWarnings,
  readDurationFromConfig,
  type ConfigSource,
  type DefaultRootConfigServiceOptions,
  type PackageConfigSchema,
  type ReadDurationFromConfigOptions,
} from '../../config';
export {
  ConfigError,
  InvalidConfigError,
  MissingConfigError,
  type ConfigErrorCode,
} from '../../errors';
