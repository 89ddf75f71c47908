export { ConfigReader, type ConfigSource } from './ConfigReader';
export { InvalidConfigError } from './InvalidConfigError';
export { MissingConfigError } from './MissingConfigError';
export { readConfigSecrets } from './readConfigSecrets';
