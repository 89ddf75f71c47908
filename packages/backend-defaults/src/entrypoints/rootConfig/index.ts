export { ConfigReader, type ConfigSource } from './ConfigReader';
export { InvalidConfigError } from './InvalidConfigError';
export { MissingConfigError } from './MissingConfigError';
export { readConfigSecrets } from './readConfigSecrets';
export {
  DefaultRootConfigService,
  readConfigWarnings,
  type DefaultRootConfigServiceOptions,
} from './DefaultRootConfigService';
export { rootConfigServiceFactory } from './rootConfigServiceFactory';
export { type PackageConfigSchema } from './collectConfigSchemas';
export { findRootDir } from './findRootDir';
export { ConfigValidationError } from './ConfigValidationError';
export { ConfigFileError } from './ConfigFileError';
export { ConfigSubstitutionError } from './ConfigSubstitutionError';
export { ConfigEnvOverrideError } from './ConfigEnvOverrideError';
export { ConfigSchemaError } from './ConfigSchemaError';
export { UnknownConfigKeyError } from './UnknownConfigKeyError';
export {
  readDurationFromConfig,
  type ReadDurationFromConfigOptions,
} from './readDurationFromConfig';
