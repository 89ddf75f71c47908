import type { Config, JsonObject, JsonValue } from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import { InvalidConfigError, MissingConfigError } from '../errors';

/**
 * One layer of configuration and where it came from.
 *
 * @public
 */
export interface ConfigSource {
  data: JsonObject;
  /** Named in errors, such as `app-config.local.yaml`. */
  context: string;
  /**
   * Values in this layer that came from secrets (`$env`, `$file`, keys a
   * schema marks secret); logs and error bodies redact them.
   * @defaultValue `[]`
   */
  secrets?: readonly string[];
  /**
   * The values among {@link ConfigSource.secrets} at keys a schema marks
   * secret: the ones to mask in data a plugin serves, where masking an
   * ordinary substituted value (a port, a user name, a URL) would corrupt
   * it.
   * @defaultValue `[]`
   */
  declaredSecrets?: readonly string[];
}

const keySegmentPattern = /^[a-z0-9][\w-]*$/i;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads layered configuration: each layer overrides the ones before it,
 * objects merge key by key, and every error names the full key and the
 * layer the offending value came from.
 *
 * @remarks
 * Getters without `Optional` throw {@link MissingConfigError} for an absent
 * value; every typed getter throws {@link InvalidConfigError} for a value of
 * another type. Numbers and booleans written as strings, as environment
 * variables are, are read as numbers and booleans. Keys are looked up among
 * an object's own keys only, so no key, such as `constructor` or
 * `toString`, reads a member of a prototype, whatever the data holds.
 *
 * @public
 */
export class ConfigReader implements Config {
  readonly #data: JsonObject | undefined;
  readonly #context: string;
  readonly #fallback: ConfigReader | undefined;
  readonly #prefix: string;
  #secrets: readonly string[] = [];
  #declaredSecrets: readonly string[] = [];

  /**
   * Builds a reader from layers in increasing priority: later layers win.
   *
   * @example
   * ```ts
   * const config = ConfigReader.fromConfigs([
   *   { data: base, context: 'app-config.yaml' },
   *   { data: local, context: 'app-config.local.yaml' },
   * ]);
   * ```
   */
  static fromConfigs(sources: readonly ConfigSource[]): ConfigReader {
    let reader: ConfigReader | undefined;
    for (const { data, context, secrets, declaredSecrets } of sources) {
      reader = new ConfigReader(data, context, reader);
      reader.#secrets = secrets ?? [];
      reader.#declaredSecrets = declaredSecrets ?? [];
    }
    return reader ?? new ConfigReader(undefined, 'empty-config');
  }

  /**
   * The name of the layer, such as `app-config.local.yaml`, that the value
   * at `key` comes from: the highest layer that sets it. Readers of values
   * that have the right type but a wrong content use it to name the file in
   * an {@link InvalidConfigError}.
   *
   * @remarks
   * Works on any {@link @plinth/backend-plugin-api#Config}; one that is not
   * a `ConfigReader` cannot tell, so it yields `'app-config'`. For an absent
   * key it names the lowest layer.
   *
   * @example
   * ```ts
   * throw new InvalidConfigError(key, ConfigReader.findContext(config, key), 'a port', value);
   * ```
   */
  static findContext(config: Config, key: string): string {
    return config instanceof ConfigReader
      ? config.#lookup(key).context
      : 'app-config';
  }

  /**
   * Reads one layer on top of an optional lower one. `context` names the
   * layer in errors; `prefix` is the key of this object within the whole
   * config, so nested readers report full keys.
   */
  constructor(
    data: JsonObject | undefined,
    context = 'mock-config',
    fallback?: ConfigReader,
    prefix = '',
  ) {
    this.#data = data;
    this.#context = context;
    this.#fallback = fallback;
    this.#prefix = prefix;
  }

  /**
   * The secret values of every layer, for redaction; with `declaredOnly`,
   * those at keys a schema marks secret.
   */
  secretValues(options?: { declaredOnly?: boolean }): string[] {
    const own = options?.declaredOnly ? this.#declaredSecrets : this.#secrets;
    return [
      ...new Set([...(this.#fallback?.secretValues(options) ?? []), ...own]),
    ];
  }

  has(key: string): boolean {
    return this.#own(key) !== undefined || (this.#fallback?.has(key) ?? false);
  }

  keys(): string[] {
    const own = isObject(this.#data)
      ? Object.keys(this.#data).filter(k => this.#data![k] !== undefined)
      : [];
    return [...new Set([...(this.#fallback?.keys() ?? []), ...own])];
  }

  get<T = JsonValue>(key?: string): T {
    const value = this.getOptional<T>(key);
    if (value === undefined) {
      throw new MissingConfigError(this.#fullKey(key ?? ''), this.#contexts());
    }
    return value;
  }

  getOptional<T = JsonValue>(key?: string): T | undefined {
    const own = key ? this.#own(key) : this.#data;
    const fallback = this.#fallback?.getOptional<JsonValue>(key);
    if (own === undefined) {
      return fallback as T | undefined;
    }
    if (isObject(own) && isObject(fallback)) {
      return mergeObjects(fallback, own) as T;
    }
    return own as T;
  }

  getConfig(key: string): ConfigReader {
    const config = this.getOptionalConfig(key);
    if (!config) {
      throw new MissingConfigError(this.#fullKey(key), this.#contexts());
    }
    return config;
  }

  getOptionalConfig(key: string): ConfigReader | undefined {
    const own = this.#own(key);
    if (own === undefined) {
      return this.#fallback?.getOptionalConfig(key);
    }
    if (!isObject(own)) {
      throw new InvalidConfigError(
        this.#fullKey(key),
        this.#context,
        'an object',
        own,
      );
    }
    // A lower layer's value only merges in when it is an object too; a
    // scalar there is simply overridden.
    const fallback = isObject(this.#fallback?.getOptional(key))
      ? this.#fallback?.getOptionalConfig(key)
      : undefined;
    return new ConfigReader(own, this.#context, fallback, this.#fullKey(key));
  }

  getConfigArray(key: string): ConfigReader[] {
    const configs = this.getOptionalConfigArray(key);
    if (!configs) {
      throw new MissingConfigError(this.#fullKey(key), this.#contexts());
    }
    return configs;
  }

  getOptionalConfigArray(key: string): ConfigReader[] | undefined {
    const own = this.#own(key);
    if (own === undefined) {
      return this.#fallback?.getOptionalConfigArray(key);
    }
    if (!Array.isArray(own)) {
      throw new InvalidConfigError(
        this.#fullKey(key),
        this.#context,
        'an array of objects',
        own,
      );
    }
    return own.map((item, index) => {
      const itemKey = `${this.#fullKey(key)}[${index}]`;
      if (!isObject(item)) {
        throw new InvalidConfigError(itemKey, this.#context, 'an object', item);
      }
      return new ConfigReader(item, this.#context, undefined, itemKey);
    });
  }

  getNumber(key: string): number {
    return this.#required(key, this.getOptionalNumber(key));
  }

  getOptionalNumber(key: string): number | undefined {
    const { value, context } = this.#lookup(key);
    if (value === undefined) {
      return undefined;
    }
    const number =
      typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw new InvalidConfigError(
        this.#fullKey(key),
        context,
        'a number',
        value,
      );
    }
    return number;
  }

  getBoolean(key: string): boolean {
    return this.#required(key, this.getOptionalBoolean(key));
  }

  getOptionalBoolean(key: string): boolean | undefined {
    const { value, context } = this.#lookup(key);
    if (value === undefined || typeof value === 'boolean') {
      return value;
    }
    if (value === 'true' || value === 'false') {
      return value === 'true';
    }
    throw new InvalidConfigError(
      this.#fullKey(key),
      context,
      'a boolean',
      value,
    );
  }

  getString(key: string): string {
    return this.#required(key, this.getOptionalString(key));
  }

  getOptionalString(key: string): string | undefined {
    const { value, context } = this.#lookup(key);
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== 'string' || value === '') {
      throw new InvalidConfigError(
        this.#fullKey(key),
        context,
        'a non-empty string',
        value,
      );
    }
    return value;
  }

  getStringArray(key: string): string[] {
    return this.#required(key, this.getOptionalStringArray(key));
  }

  getOptionalStringArray(key: string): string[] | undefined {
    const { value, context } = this.#lookup(key);
    if (value === undefined) {
      return undefined;
    }
    if (!Array.isArray(value)) {
      throw new InvalidConfigError(
        this.#fullKey(key),
        context,
        'an array of strings',
        value,
      );
    }
    value.forEach((item, index) => {
      if (typeof item !== 'string' || item === '') {
        throw new InvalidConfigError(
          `${this.#fullKey(key)}[${index}]`,
          context,
          'a non-empty string',
          item,
        );
      }
    });
    return value as string[];
  }

  #required<T>(key: string, value: T | undefined): T {
    if (value === undefined) {
      throw new MissingConfigError(this.#fullKey(key), this.#contexts());
    }
    return value;
  }

  /** The value at a key in the highest layer that has it, with that layer's name. */
  #lookup(key: string): { value: JsonValue | undefined; context: string } {
    const own = this.#own(key);
    if (own !== undefined) {
      return { value: own, context: this.#context };
    }
    return this.#fallback
      ? this.#fallback.#lookup(key)
      : { value: undefined, context: this.#context };
  }

  #own(key: string): JsonValue | undefined {
    const segments = key.split('.');
    if (segments.some(s => !keySegmentPattern.test(s))) {
      throw new InputError(
        `Invalid config key '${this.#fullKey(key)}': use dot-separated names of letters, digits, dashes and underscores.`,
      );
    }
    let value: JsonValue | undefined = this.#data;
    for (const segment of segments) {
      value =
        isObject(value) && Object.hasOwn(value, segment)
          ? value[segment]
          : undefined;
    }
    return value;
  }

  #contexts(): string[] {
    return [
      ...(this.#fallback ? this.#fallback.#contexts() : []),
      this.#context,
    ];
  }

  #fullKey(key: string): string {
    return this.#prefix ? (key ? `${this.#prefix}.${key}` : this.#prefix) : key;
  }
}

function mergeObjects(base: JsonObject, override: JsonObject): JsonObject {
  const merged = new Map(Object.entries(base));
  for (const [key, value] of Object.entries(override)) {
    const previous = merged.get(key);
    merged.set(
      key,
      isObject(previous) && isObject(value)
        ? mergeObjects(previous, value)
        : value,
    );
  }
  // Built from entries: assigning a '__proto__' key would set the prototype.
  return Object.fromEntries(merged);
}
