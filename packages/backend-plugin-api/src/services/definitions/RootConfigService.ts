import type { JsonValue } from '@plinth/errors';

/**
 * Read access to configuration. Keys are dot-separated paths
 * (`backend.listen.port`); every getter that is not `Optional` throws when
 * the value is missing, and every typed getter throws when the value has
 * another type, naming the key.
 *
 * @public
 */
export interface Config {
  /** Calls `onChange` when the configuration is reloaded, where supported. */
  subscribe?(onChange: () => void): { unsubscribe(): void };
  /** Whether a value exists at the key. */
  has(key: string): boolean;
  /** The keys directly below this config object. */
  keys(): string[];
  get<T = JsonValue>(key?: string): T;
  getOptional<T = JsonValue>(key?: string): T | undefined;
  getConfig(key: string): Config;
  getOptionalConfig(key: string): Config | undefined;
  getConfigArray(key: string): Config[];
  getOptionalConfigArray(key: string): Config[] | undefined;
  getNumber(key: string): number;
  getOptionalNumber(key: string): number | undefined;
  getBoolean(key: string): boolean;
  getOptionalBoolean(key: string): boolean | undefined;
  getString(key: string): string;
  getOptionalString(key: string): string | undefined;
  getStringArray(key: string): string[];
  getOptionalStringArray(key: string): string[] | undefined;
}

/**
 * The backend's configuration, read from `app-config.yaml` and friends.
 *
 * @public
 */
export type RootConfigService = Config;
