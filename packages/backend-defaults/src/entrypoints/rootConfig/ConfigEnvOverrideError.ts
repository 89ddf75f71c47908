import { CustomErrorBase } from '@plinth/errors';
import type { ConfigPath } from './formatConfigPath';
import { describePrototypeKey } from './prototypeKeys';

/**
 * An `APP_CONFIG_*` environment variable could not be used as a config
 * override.
 *
 * @public
 */
export class ConfigEnvOverrideError extends CustomErrorBase {
  readonly name = 'ConfigEnvOverrideError' as const;

  constructor(
    message: string,
    readonly variable: string,
  ) {
    super(message);
  }

  /** The value does not parse as JSON, such as an unquoted string. */
  static notJson(variable: string): ConfigEnvOverrideError {
    return new ConfigEnvOverrideError(
      `Invalid config override in environment variable '${variable}': the value is not JSON; quote text as a JSON string, as in ${variable}='"some text"'.`,
      variable,
    );
  }

  /** The name has an empty key segment, such as `APP_CONFIG_a__b`. */
  static invalidName(variable: string): ConfigEnvOverrideError {
    return new ConfigEnvOverrideError(
      `Invalid config override in environment variable '${variable}': the name has an empty key; name it APP_CONFIG_<key>_<key>... with one underscore between keys.`,
      variable,
    );
  }

  /**
   * The name or the JSON value of the variable has a key such as
   * `constructor`, at `path` in the config.
   */
  static prototypeKey(
    variable: string,
    path: ConfigPath,
  ): ConfigEnvOverrideError {
    return new ConfigEnvOverrideError(
      describePrototypeKey(path, variable),
      variable,
    );
  }

  /** One variable sets a plain value where another sets a key below it. */
  static conflict(variable: string, nested: string): ConfigEnvOverrideError {
    return new ConfigEnvOverrideError(
      `Invalid config override in environment variables '${variable}' and '${nested}': the first sets a value that is not an object, so the second cannot set a key below it; remove one of them.`,
      variable,
    );
  }
}
